/**
 * Heap and array-buffer growth, per pdata operation, on the request of issue 17
 * item 2 (one resource with N attributes `{a: ""}`). Run by hand:
 *   node --conditions=@otlp-kafka/source --import tsx e2e/hostile/measure-resource-attrs.ts [N] [signal]
 * The e2e suite calls measureResourceOps and bounds each factor.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import {
  countItems,
  createBatch,
  editResource,
  groupByResource,
  groupByResourceAttribute,
  type Batch,
} from '@otlp-kafka/pdata';
import { resourceAttributeBomb, type HostileSignal } from './requests.js';

export interface OpCost {
  op: string;
  ms: number;
  /** Heap + array buffers right after the operation (its result and its garbage), over the request's size. */
  factor: number;
  mb: number;
}

/** A collection on demand, as the CLI gets one (the flag set at run time, gc taken from a new context). */
function gcFunction(): () => void {
  const g = globalThis as { gc?: () => void };
  if (typeof g.gc === 'function') return g.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function measureResourceOps(
  signal: HostileSignal,
  count: number,
): { requestMB: number; ops: OpCost[] } {
  const gc = gcFunction();
  const bytes = resourceAttributeBomb(signal, count);
  const ops: OpCost[] = [];
  const measure = (op: string, fn: () => unknown): void => {
    gc();
    const before = process.memoryUsage();
    const t0 = performance.now();
    const kept = fn();
    const ms = performance.now() - t0;
    const after = process.memoryUsage();
    const grew = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    void kept;
    ops.push({
      op,
      ms: Math.round(ms),
      factor: Math.round((grew / bytes.length) * 10) / 10,
      mb: Math.round((grew / 2 ** 20) * 10) / 10,
    });
  };
  let batch: Batch | undefined;
  measure('countItems', () => countItems(signal, bytes));
  measure('createBatch', () => (batch = createBatch(signal, bytes).unwrap()));
  measure('createBatch deep', () => createBatch(signal, bytes, {}, { deep: true }).unwrap());
  measure('editResource upsert x2 (agent.yaml)', () =>
    editResource(batch!, [
      { key: 'collector.tier', value: 'agent', action: 'upsert' },
      { key: 'collector.node', value: 'node-1', action: 'upsert' },
    ]).unwrap(),
  );
  measure('editResource update absent', () =>
    editResource(batch!, [{ key: 'absent', value: 'x', action: 'update' }]).unwrap(),
  );
  measure('editResource delete a', () => editResource(batch!, [{ key: 'a', action: 'delete' }]).unwrap());
  measure('groupByResource', () => groupByResource(batch!).unwrap());
  measure('groupByResourceAttribute', () => groupByResourceAttribute(batch!, 'a').unwrap());
  return { requestMB: Math.round((bytes.length / 2 ** 20) * 10) / 10, ops };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2] ?? 1_000_000);
  const signal = (process.argv[3] ?? 'traces') as HostileSignal;
  const { requestMB, ops } = measureResourceOps(signal, count);
  console.log(`${signal}: ${count} resource attributes, ${requestMB} MiB`);
  for (const o of ops)
    console.log(
      `${o.op.padEnd(36)} ${String(o.ms).padStart(6)} ms  +${String(o.mb).padStart(7)} MiB  ${o.factor}x`,
    );
}
