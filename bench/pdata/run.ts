/**
 * pdata bench: throughput of the wire operations on a ~1 MiB OTLP traces
 * request, beside a full decode + encode with our codec and the protobuf
 * encode of @opentelemetry/otlp-transformer from the same SDK spans.
 * MB/s = request bytes processed per second (1 MB = 10^6 bytes).
 *
 *   node --conditions=@otlp-kafka/source --import tsx bench/pdata/run.ts [--size-kib 1024] [--time-ms 1500] [--json]
 */
import { parseArgs } from 'node:util';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  countItems,
  createBatch,
  decodeRequest,
  editItems,
  editResource,
  encodeRequest,
  filterItems,
  groupByResource,
  groupByTraceId,
  mergeBatches,
  splitBatch,
  validateRequest,
  type ExportTraceServiceRequest,
} from '@otlp-kafka/pdata';
import { benchSpans } from './data.js';

const { values: args } = parseArgs({
  options: {
    'size-kib': { type: 'string', default: '1024' },
    'time-ms': { type: 'string', default: '1500' },
    json: { type: 'boolean', default: false },
  },
});
const timeMs = Number(args['time-ms']);

const { spans, bytes } = benchSpans(Number(args['size-kib']) * 1024);
const batch = createBatch('traces', bytes).unwrap();
const quarters = splitBatch(batch, { maxBytes: Math.ceil(bytes.length / 4) + 1024 }).unwrap();
const decoded = decodeRequest('traces', bytes).unwrap();

/**
 * Runs fn repeatedly for about timeMs of CPU time after a warm-up; returns
 * MB/s over `bytesPerOp`. CPU time (user + system of this process), not wall
 * time, so other processes on a shared machine do not skew the comparison.
 */
function measure(fn: () => unknown, bytesPerOp: number): { mbPerS: number; opsPerS: number; meanMs: number } {
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
  const s = spent / 1000;
  return { mbPerS: (ops * bytesPerOp) / s / 1e6, opsPerS: ops / s, meanMs: spent / ops };
}

function dropDbSpans(req: ExportTraceServiceRequest): ExportTraceServiceRequest {
  for (const rs of req.resourceSpans) {
    for (const ss of rs.scopeSpans) ss.spans = ss.spans.filter((s) => s.name !== 'SELECT orders');
    rs.scopeSpans = rs.scopeSpans.filter((ss) => ss.spans.length > 0);
  }
  req.resourceSpans = req.resourceSpans.filter((rs) => rs.scopeSpans.length > 0);
  return req;
}
function setEnvironment(req: ExportTraceServiceRequest): ExportTraceServiceRequest {
  for (const rs of req.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans)
        s.attributes.push({ key: 'deployment.environment', value: { stringValue: 'prod' } });
  return req;
}

const must = <T>(r: { isErr(): boolean; unwrap(): T }): T => r.unwrap();

const cases: [string, () => unknown][] = [
  ['countItems', () => must(countItems('traces', bytes))],
  ['mergeBatches (4 -> 1)', () => must(mergeBatches(quarters))],
  ['splitBatch maxBytes 64 KiB', () => must(splitBatch(batch, { maxBytes: 64 * 1024 }))],
  ['splitBatch maxItems 100', () => must(splitBatch(batch, { maxItems: 100 }))],
  ['groupByTraceId', () => must(groupByTraceId(batch))],
  ['groupByResource', () => must(groupByResource(batch))],
  [
    'editResource upsert',
    () => must(editResource(batch, [{ key: 'deployment.environment', action: 'upsert', value: 'prod' }])),
  ],
  // Item-level work on the wire, each beside the same work done by decode -> mutate -> encode.
  ['filterItems (drop db spans)', () => must(filterItems(batch, (s) => s.name() !== 'SELECT orders'))],
  [
    'editItems set attribute on every span',
    () => must(editItems(batch, (s) => s.setAttribute('deployment.environment', 'prod'))),
  ],
  [
    'editItems remove attribute (db.statement)',
    () => must(editItems(batch, (s) => s.removeAttribute('db.statement'))),
  ],
  [
    'codec decode + filter + encode',
    () => encodeRequest('traces', dropDbSpans(must(decodeRequest('traces', bytes)))),
  ],
  [
    'codec decode + set attribute + encode',
    () => encodeRequest('traces', setEnvironment(must(decodeRequest('traces', bytes)))),
  ],
  ['validateRequest (deep)', () => must(validateRequest('traces', bytes))],
  ['codec decodeRequest', () => must(decodeRequest('traces', bytes))],
  ['codec encodeRequest', () => encodeRequest('traces', decoded)],
  ['codec decode + encode', () => encodeRequest('traces', must(decodeRequest('traces', bytes)))],
  ['otlp-transformer encode (SDK spans)', () => ProtobufTraceSerializer.serializeRequest(spans)],
];

const results = cases.map(([name, fn]) => ({ name, ...measure(fn, bytes.length) }));
const baseline = results.find((r) => r.name === 'codec decode + encode')!.mbPerS;

if (args.json) {
  console.log(JSON.stringify({ requestBytes: bytes.length, spans: batch.itemCount, results }, null, 2));
} else {
  console.log(
    `traces request: ${(bytes.length / 1024).toFixed(0)} KiB, ${batch.itemCount} spans, ${groupByResource(batch).unwrap().size} resources`,
  );
  console.log(
    `${'operation'.padEnd(38)}${'MB/s'.padStart(10)}${'ms/op'.padStart(10)}${'x decode+encode'.padStart(17)}`,
  );
  for (const r of results)
    console.log(
      `${r.name.padEnd(38)}${r.mbPerS.toFixed(1).padStart(10)}${r.meanMs.toFixed(3).padStart(10)}${(r.mbPerS / baseline).toFixed(1).padStart(17)}`,
    );
}
const isWireOp = (name: string): boolean => !name.startsWith('codec') && !name.startsWith('otlp');
// Targets: structural wire ops 10x decode + encode; item-level edits (a callback per item) 5x.
const target = (name: string): number => (/^(filter|edit)Items/.test(name) ? 5 : 10);
const slow = results.filter((r) => isWireOp(r.name) && r.mbPerS < target(r.name) * baseline);
if (slow.length) console.log(`below target: ${slow.map((r) => `${r.name} (${target(r.name)}x)`).join(', ')}`);
