import { describe, expect, it } from 'vitest';
import { requestFromJson } from '../../src/json/index.js';

const spanJson = (fields: Record<string, string>): string =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 's', ...fields }] }] }] });

const SPAN = 'resourceSpans[0].scopeSpans[0].spans[0]';

describe('OTLP/JSON ids: the same lengths as the protobuf path', () => {
  it.each([
    ['traceId', 8, 16],
    ['traceId', 500_000, 16],
    ['spanId', 16, 8],
    ['parentSpanId', 4, 8],
  ])('refuses a %s of %i bytes, naming the field', (key, n, must) => {
    const r = requestFromJson('traces', spanJson({ [key]: 'ab'.repeat(n) }));
    expect(r.isErr()).toBe(true);
    if (r.isErr()) {
      expect(r.error.code).toBe('ERR_PDATA_JSON');
      expect(r.error.field).toBe(`${SPAN}.${key}`);
      expect(r.error.message).toBe(`${SPAN}.${key}: ${n} bytes, must be ${must} or empty`);
    }
  });

  it('accepts 16 / 8 bytes and empty ids', () => {
    const ok = spanJson({ traceId: 'ab'.repeat(16), spanId: 'AB'.repeat(8), parentSpanId: '' });
    expect(requestFromJson('traces', ok).isOk()).toBe(true);
  });

  it('checks log record, link and exemplar ids', () => {
    const logs = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ spanId: 'ab'.repeat(9) }] }] }],
    });
    const r = requestFromJson('logs', logs);
    expect(r.isErr() && r.error.field).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].spanId');
    const links = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ links: [{ traceId: 'ab'.repeat(15) }] }] }] }],
    });
    const l = requestFromJson('traces', links);
    expect(l.isErr() && l.error.field).toBe(`${SPAN}.links[0].traceId`);
    const metrics = JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [{ name: 'm', gauge: { dataPoints: [{ exemplars: [{ traceId: 'ab'.repeat(3) }] }] } }],
            },
          ],
        },
      ],
    });
    const m = requestFromJson('metrics', metrics);
    expect(m.isErr() && m.error.field).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].exemplars[0].traceId',
    );
  });
});
