import { jsonToProto, protoToJson, type Signal } from '@otlp-kafka/pdata';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonConverter } from '../../src/internal/json-convert.js';
import { jsonRequest } from '../helpers.js';

let converter: JsonConverter | undefined;
afterEach(async () => {
  await converter?.close();
  converter = undefined;
});

/** One resource with `n` attributes: the OTLP/JSON request of issue 17 (290,000 are 11.3 MB). */
function bigJson(signal: Signal, n: number): Buffer {
  const small = JSON.parse(jsonRequest(signal, 1)) as Record<string, [{ resource?: unknown }]>;
  const key = Object.keys(small)[0]!;
  small[key]![0].resource = {
    attributes: Array.from({ length: n }, (_, i) => ({ key: `a${i}`, value: { stringValue: '' } })),
  };
  return Buffer.from(JSON.stringify(small));
}

describe('otlp receiver: OTLP/JSON conversion', () => {
  it.each<Signal>(['traces', 'metrics', 'logs'])(
    '%s: a large body is converted in the worker thread, to the same bytes, while the event loop keeps running',
    async (signal) => {
      converter = new JsonConverter();
      const body = bigJson(signal, 60_000);
      expect(body.length).toBeGreaterThan(64 * 1024);
      const expected = Buffer.from(jsonToProto(signal, body.toString('utf8')).unwrap());
      let ticks = 0;
      const timer = setInterval(() => ticks++, 2);
      const converted = await converter.convert(signal, body);
      clearInterval(timer);
      expect(converter.offThread).toBe(1);
      expect(converted.ok && Buffer.from(converted.bytes)).toEqual(expected);
      // The body's memory went to the worker (transferred, not copied).
      expect(body.length).toBe(0);
      expect(ticks).toBeGreaterThan(2);
    },
  );

  it('a small body is converted inline; invalid JSON names the path either way', async () => {
    converter = new JsonConverter({ workerThresholdBytes: 1024 });
    const small = await converter.convert('logs', Buffer.from(jsonRequest('logs', 2)));
    expect(small.ok).toBe(true);
    expect(converter.offThread).toBe(0);
    const bad = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: {} })) },
          scopeSpans: [{ spans: [{ name: 's', traceId: 'zz' }] }],
        },
      ],
    });
    const refused = await converter.convert('traces', Buffer.from(bad));
    expect(converter.offThread).toBe(1);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toContain('resourceSpans[0].scopeSpans[0].spans[0].traceId');
    expect(!refused.ok && refused.error.code).toBe('ERR_PDATA_JSON');
    // The worker is reused, and a body that is a view on a larger buffer converts too.
    const whole = Buffer.from(`    ${jsonRequest('traces', 40)}`);
    const view = whole.subarray(4);
    const again = await converter.convert('traces', view);
    expect(again.ok && protoToJson('traces', again.bytes).isOk()).toBe(true);
    expect(converter.offThread).toBe(2);
  });

  it('conversions queued when the worker is closed fail instead of hanging', async () => {
    converter = new JsonConverter({ workerThresholdBytes: 0 });
    const pending = converter.convert('logs', Buffer.from(jsonRequest('logs', 1)));
    await converter.close();
    const r = await pending;
    expect(r.ok).toBe(false);
  });
});
