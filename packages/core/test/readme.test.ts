import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPipeline, outcomeKind, partial, refusalOf } from '@otlp-kafka/core';
import { fakeExporter, fakeReceiver, trustedBatchForTest, type Journal } from './helpers.js';
import { countingProcessor } from './readme/custom-processor.js';
import { dropDebugLogs } from './readme/function-processor.js';
import { createBatch, encodeRequest } from '@otlp-kafka/pdata';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('packages/core/README.md', () => {
  it('shows exactly the custom processor this test runs', () => {
    const source = readFileSync(new URL('./readme/custom-processor.ts', import.meta.url), 'utf8');
    const block = /<!-- example: custom-processor -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'the README marks its example with <!-- example: custom-processor -->').not.toBeNull();
    expect(block![1]).toBe(source);
  });

  it('the example follows the contract and the lifecycle rules in a pipeline', async () => {
    const journal: Journal = [];
    const r = fakeReceiver('r', journal, ['traces']);
    const e = fakeExporter('e', journal, partial(1, 'one span too large'));
    let processor: ReturnType<typeof countingProcessor> | undefined;
    const pipeline = createPipeline({
      pipelines: [
        {
          signal: 'traces',
          receivers: [r],
          processors: [(next) => (processor = countingProcessor(next))],
          exporters: [e],
        },
      ],
    });
    const early = await processor!.consume(trustedBatchForTest('traces', 2));
    expect(refusalOf(early)?.code).toBe('ERR_NOT_STARTED');
    await pipeline.start();
    const out = await r.send('traces', trustedBatchForTest('traces', 5));
    expect(out.isOk() && out.value).toEqual({
      kind: 'partial',
      rejectedItems: 1,
      message: 'one span too large',
    });
    expect(processor!.accepted).toBe(4);
    expect(outcomeKind(await r.send('traces', trustedBatchForTest('traces', 0)))).toBe('permanent');
    expect(e.batches).toHaveLength(1);
    await pipeline.shutdown();
    expect(refusalOf(await processor!.consume(trustedBatchForTest('traces', 1)))?.code).toBe('ERR_SHUTDOWN');
  });

  it('shows exactly the function processor this test runs, and it drops debug logs', async () => {
    const source = readFileSync(new URL('./readme/function-processor.ts', import.meta.url), 'utf8');
    const block = /<!-- example: function-processor -->\n```ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'the README marks its example with <!-- example: function-processor -->').not.toBeNull();
    expect(block![1]).toBe(source);
    const journal: Journal = [];
    const e = fakeExporter('e', journal);
    const p = dropDebugLogs(e);
    await p.start();
    const log = (severityNumber: number) => ({
      timeUnixNano: 1n,
      observedTimeUnixNano: 1n,
      severityNumber,
      severityText: '',
      attributes: [],
      droppedAttributesCount: 0,
      flags: 0,
      traceId: new Uint8Array(0),
      spanId: new Uint8Array(0),
      eventName: '',
    });
    const bytes = encodeRequest('logs', {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [log(5), log(9), log(0), log(17)], schemaUrl: '' }], schemaUrl: '' },
      ],
    });
    expect(outcomeKind(await p.consume(createBatch('logs', bytes).unwrap()))).toBe('ok');
    expect(e.batches.map((b) => b.itemCount)).toEqual([3]);
    await p.shutdown();
  });
});
