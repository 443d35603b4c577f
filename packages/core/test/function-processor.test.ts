import { createBatch, encodeRequest, filterItems, type Batch, type Span } from '@otlp-kafka/pdata';
import { Err } from 'ts-results-es';
import { describe, expect, it } from 'vitest';
import {
  backpressure,
  createFunctionProcessor,
  ok,
  outcomeKind,
  partial,
  refusalOf,
  type Consumer,
  type Outcome,
} from '../src/index.js';

function spans(...names: string[]): Batch {
  const span = (name: string, i: number): Span => ({
    traceId: new Uint8Array(16).fill(i + 1),
    spanId: new Uint8Array(8).fill(i + 1),
    traceState: '',
    parentSpanId: new Uint8Array(0),
    flags: 0,
    name,
    kind: 1,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { message: '', code: 0 },
  });
  const bytes = encodeRequest('traces', {
    resourceSpans: [{ scopeSpans: [{ spans: names.map(span), schemaUrl: '' }], schemaUrl: '' }],
  });
  return createBatch('traces', bytes).unwrap();
}

/** A next consumer that records what it got and answers `answer` (a promise lets a test hold it). */
function sink(answer: () => Outcome | Promise<Outcome> = () => ok()) {
  const got: Batch[] = [];
  const consumer: Consumer = {
    consume: async (b) => {
      got.push(b);
      return answer();
    },
  };
  return { got, consumer };
}

const dropHealthz = (batch: Batch) => filterItems(batch, (s) => s.name() !== 'GET /healthz');

describe('createFunctionProcessor', () => {
  it("passes on what the function returns and answers with the next consumer's outcome", async () => {
    const next = sink(() => partial(1, 'one refused'));
    const p = createFunctionProcessor({ name: 'drop-healthz', process: dropHealthz })(next.consumer);
    expect(refusalOf(await p.consume(spans('a')))?.code).toBe('ERR_NOT_STARTED');
    await p.start();
    const out = await p.consume(spans('GET /healthz', 'GET /cart', 'GET /healthz'));
    expect(out.isOk() && out.value).toEqual({ kind: 'partial', rejectedItems: 1, message: 'one refused' });
    expect(next.got.map((b) => b.itemCount)).toEqual([1]);
    await p.shutdown();
    expect(refusalOf(await p.consume(spans('a')))?.code).toBe('ERR_SHUTDOWN');
  });

  it('answers ok without passing on an all-filtered batch or an undefined result', async () => {
    const next = sink();
    const all = createFunctionProcessor({ process: dropHealthz })(next.consumer);
    const none = createFunctionProcessor({ process: () => undefined })(next.consumer);
    await all.start();
    await none.start();
    expect(outcomeKind(await all.consume(spans('GET /healthz')))).toBe('ok');
    expect(outcomeKind(await none.consume(spans('x')))).toBe('ok');
    expect(next.got).toHaveLength(0);
  });

  it('an Err result and a throw are permanent refusals naming the processor; an outcome is answered as it is', async () => {
    const logged: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (_o: object | string, m?: string) => void logged.push(m ?? ''),
    };
    const next = sink();
    const bad = createFunctionProcessor({ name: 'bad', process: () => Err(new Error('cannot parse')) })(
      next.consumer,
    );
    const throws = createFunctionProcessor({
      name: 'buggy',
      logger,
      process: () => {
        throw new TypeError('x is undefined');
      },
    })(next.consumer);
    const busy = createFunctionProcessor({ process: () => backpressure('slow down', 500) })(next.consumer);
    for (const p of [bad, throws, busy]) await p.start();
    const e1 = await bad.consume(spans('a'));
    expect(outcomeKind(e1)).toBe('permanent');
    expect(refusalOf(e1)?.message).toBe('processor bad: cannot parse');
    const e2 = await throws.consume(spans('a'));
    expect([outcomeKind(e2), refusalOf(e2)?.code, refusalOf(e2)?.message]).toEqual([
      'permanent',
      'ERR_PROCESSOR',
      'processor buggy: x is undefined',
    ]);
    expect(logged).toEqual(['processor buggy: process failed']);
    const e3 = await busy.consume(spans('a'));
    expect(outcomeKind(e3)).toBe('backpressure');
    expect(next.got).toHaveLength(0);
  });

  it('shutdown waits for batches in flight, then runs the shutdown hook once', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const next = sink(async () => {
      await held;
      return ok();
    });
    const events: string[] = [];
    const p = createFunctionProcessor({
      process: (b) => b,
      start: () => void events.push('start'),
      shutdown: () => void events.push('shutdown'),
    })(next.consumer);
    await p.start();
    const pending = p.consume(spans('a'));
    let stopped = false;
    const stopping = p.shutdown().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    expect(events).toEqual(['start']);
    release();
    expect(outcomeKind(await pending)).toBe('ok');
    await stopping;
    await p.shutdown();
    expect(events).toEqual(['start', 'shutdown']);
  });

  it('refuses bad options at construction with a clear message', () => {
    expect(() => createFunctionProcessor({ process: 1 as never })).toThrow(
      'processor function: process must be a function',
    );
    expect(() => createFunctionProcessor({ process: (b) => b, shutdownTimeoutMs: -1 })).toThrow(
      'shutdownTimeoutMs must be a non-negative integer',
    );
  });
});
