/**
 * Deep validation bench (issue 17): validateRequest on ~1 MiB requests, beside
 * countItems (the shallow check createBatch always does) and a full decode.
 *  - SDK traces: OTel SDK spans serialized by @opentelemetry/otlp-transformer,
 *    mostly short ASCII strings (checked in JS, no native call).
 *  - non-ASCII logs: every body and attribute value holds multi-byte text, so
 *    each goes through node:buffer's isUtf8: the UTF-8 check's worst case.
 * MB/s = request bytes per second of process CPU time (1 MB = 10^6 bytes).
 *
 *   node --conditions=@otlp-kafka/source --import tsx bench/validate/run.ts [--size-kib 1024] [--time-ms 1500]
 */
import { parseArgs } from 'node:util';
import {
  countItems,
  decodeRequest,
  encodeRequest,
  validateRequest,
  type LogRecord,
  type Signal,
} from '@otlp-kafka/pdata';
import { benchSpans } from '../pdata/data.js';

const { values: args } = parseArgs({
  options: {
    'size-kib': { type: 'string', default: '1024' },
    'time-ms': { type: 'string', default: '1500' },
  },
});
const timeMs = Number(args['time-ms']);
const targetBytes = Number(args['size-kib']) * 1024;

function nonAsciiLogs(target: number): Uint8Array {
  const records: Partial<LogRecord>[] = [];
  for (let i = 0; i < 8000; i++) {
    records.push({
      timeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
      severityText: 'INFO',
      body: { stringValue: `Bestellung ${i} für Müller bestätigt ✓ — 注文を確認しました 🚀` },
      attributes: [
        { key: 'user.name', value: { stringValue: `Ærøskøbing-${i}` } },
        { key: 'http.route', value: { stringValue: '/api/orders/:id' } },
      ],
    });
  }
  const make = (n: number): Uint8Array =>
    encodeRequest('logs', {
      resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ logRecords: records.slice(0, n) }] }],
    } as never);
  const perRecord = make(100).length / 100;
  return make(Math.min(records.length, Math.floor(target / perRecord)));
}

function measure(fn: () => unknown, bytes: number): string {
  const cpuMs = (since?: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  const warm = process.cpuUsage();
  while (cpuMs(warm) < Math.min(300, timeMs / 4)) fn();
  let ops = 0;
  const start = process.cpuUsage();
  let spent = 0;
  while (spent < timeMs) {
    fn();
    ops++;
    spent = cpuMs(start);
  }
  return `${((ops * bytes) / (spent / 1000) / 1e6).toFixed(0).padStart(6)} MB/s  ${(spent / ops).toFixed(3)} ms/op`;
}

const inputs: [string, Signal, Uint8Array][] = [
  ['SDK traces', 'traces', benchSpans(targetBytes).bytes],
  ['non-ASCII logs', 'logs', nonAsciiLogs(targetBytes)],
];
for (const [name, signal, bytes] of inputs) {
  console.log(`\n${name}: ${(bytes.length / 1024).toFixed(0)} KiB`);
  const must = (ok: boolean): void => {
    if (!ok) throw new Error(`${name}: the bench input is not valid`);
  };
  console.log(`  countItems          ${measure(() => must(countItems(signal, bytes).isOk()), bytes.length)}`);
  console.log(
    `  validateRequest     ${measure(() => must(validateRequest(signal, bytes).isOk()), bytes.length)}`,
  );
  console.log(
    `  codec decodeRequest ${measure(() => must(decodeRequest(signal, bytes).isOk()), bytes.length)}`,
  );
}
