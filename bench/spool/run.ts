/**
 * Spool bench: what acknowledging "on this node's disk" costs beside handing
 * the batch straight to the next consumer. Concurrent writers (like the
 * agent's concurrent requests) append pre-generated batches of `--spans`
 * spans into a spool in a temp directory whose downstream accepts at once;
 * it reports appends/s, MB/s, appends per fdatasync (group commit), the mean
 * append latency, and the same writers against the downstream directly.
 *
 *   node --conditions=@otlp-kafka/source --import tsx bench/spool/run.ts [--writers 1,8,32] [--spans 512] [--batches 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ok, type Consumer } from '@otlp-kafka/core';
import type { Batch } from '@otlp-kafka/pdata';
import { createSpool } from '@otlp-kafka/spool';
import { createLoadGenerator } from '@otlp-kafka/testkit';

const { values: args } = parseArgs({
  options: {
    writers: { type: 'string', default: '1,8,32' },
    spans: { type: 'string', default: '512' },
    batches: { type: 'string', default: '2000' },
  },
});
const spans = Number(args.spans);
const total = Number(args.batches);
const load = createLoadGenerator({ itemsPerRequest: spans });
const pool: Batch[] = Array.from({ length: 64 }, () => load.next('traces'));
const batchBytes = pool[0]!.bytes.length;
const downstream: Consumer = { consume: async () => ok() };

async function drive(target: Consumer, writers: number): Promise<{ seconds: number; meanMs: number }> {
  let next = 0;
  let latency = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const b = pool[next++ % pool.length]!;
        const t = process.hrtime.bigint();
        const o = await target.consume(b);
        if (!o.isOk()) throw new Error('refused');
        latency += Number(process.hrtime.bigint() - t) / 1e6;
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, meanMs: latency / total };
}

console.log(
  `spool bench: ${total} batches of ${spans} spans (${(batchBytes / 1024).toFixed(0)} KiB each), temp dir on ${tmpdir()}`,
);
console.log(
  `${'writers'.padEnd(9)}${'path'.padEnd(8)}${'appends/s'.padStart(11)}${'MB/s'.padStart(9)}${'per sync'.padStart(10)}${'mean ms'.padStart(9)}`,
);
for (const writers of args.writers.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-spool-'));
  const spool = createSpool(downstream, { directory: dir, maxBytes: 4 * 1024 ** 3 });
  await spool.start();
  const s = await drive(spool, writers);
  const perSync = spool.stats.appends / Math.max(1, spool.stats.syncs);
  await spool.shutdown();
  rmSync(dir, { recursive: true, force: true });
  const d = await drive(downstream, writers);
  const row = (path: string, r: { seconds: number; meanMs: number }, per: string) =>
    console.log(
      `${String(writers).padEnd(9)}${path.padEnd(8)}${(total / r.seconds).toFixed(0).padStart(11)}${((total * batchBytes) / r.seconds / 1e6).toFixed(1).padStart(9)}${per.padStart(10)}${r.meanMs.toFixed(3).padStart(9)}`,
    );
  row('spool', s, perSync.toFixed(1));
  row('direct', d, '-');
}
