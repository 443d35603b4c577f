import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest } from '../../src/codec/request.js';
import { WireWriter } from '../../src/internal/wire-writer.js';
import { requestFromJson } from '../../src/json/index.js';
import { validateRequest } from '../../src/ops/validate.js';
import type { ExportTraceServiceRequest, RequestOf } from '../../src/index.js';
import type { Signal } from '../../src/signal.js';
import { requests } from '../fixtures/arbitraries.js';

/** request > ResourceSpans > ScopeSpans > Span, whose payload `span` writes. */
function oneSpan(span: (w: WireWriter) => void): Uint8Array {
  const w = new WireWriter();
  w.begin();
  w.begin();
  w.begin();
  span(w);
  w.end(2);
  w.end(2);
  w.end(1);
  return w.finish();
}

/** A span attribute whose value is `levels` array_values nested, the innermost holding a string. */
function nestedAttribute(levels: number): Uint8Array {
  return oneSpan((w) => {
    w.begin(); // Span.attributes
    w.stringField(1, 'k');
    w.begin(); // KeyValue.value: AnyValue
    for (let i = 0; i < levels; i++) {
      w.begin(); // AnyValue.array_value
      w.begin(); // ArrayValue.values: AnyValue
    }
    w.stringField(1, 'leaf');
    for (let i = 0; i < levels; i++) {
      w.end(1);
      w.end(5);
    }
    w.end(2);
    w.end(9);
  });
}

function nestedJson(levels: number): string {
  let v = '{"stringValue":"leaf"}';
  for (let i = 0; i < levels; i++) v = `{"arrayValue":{"values":[${v}]}}`;
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":${v}}]}]}]}]}`;
}

const SPAN = 'resource_spans[0].scope_spans[0].spans[0]';

function refusal(signal: Signal, bytes: Uint8Array): { code: string; field: string; message: string } {
  const r = validateRequest(signal, bytes);
  if (r.isOk()) throw new Error('expected a refusal');
  return { code: r.error.code, field: r.error.field, message: r.error.message };
}

describe('validateRequest: AnyValue nesting', () => {
  it('has the bound of the JSON reader and the codec: 64 levels accepted, 65 refused', () => {
    for (const levels of [64, 65]) {
      const ok = levels <= 64;
      expect(validateRequest('traces', nestedAttribute(levels)).isOk()).toBe(ok);
      expect(decodeRequest('traces', nestedAttribute(levels)).isOk()).toBe(ok);
      expect(requestFromJson('traces', nestedJson(levels)).isOk()).toBe(ok);
    }
    const r = refusal('traces', nestedAttribute(65));
    expect(r.code).toBe('ERR_PDATA_INVALID');
    expect(r.message).toContain('AnyValue nested deeper than 64 levels');
    expect(r.field).toBe(`${SPAN}.attributes[0].value${'.array_value.values[0]'.repeat(65)}`);
  });

  it('refuses 10,000 levels without exhausting the stack', () => {
    const r = refusal('traces', nestedAttribute(10_000));
    expect(r.code).toBe('ERR_PDATA_INVALID');
    expect(r.message).toContain('AnyValue nested deeper than 64 levels');
  });

  it('takes maxAttributeDepth, validated', () => {
    expect(validateRequest('traces', nestedAttribute(3), { maxAttributeDepth: 3 }).isOk()).toBe(true);
    expect(validateRequest('traces', nestedAttribute(4), { maxAttributeDepth: 3 }).isErr()).toBe(true);
    expect(validateRequest('traces', nestedAttribute(200), { maxAttributeDepth: 300 }).isOk()).toBe(true);
    const bad = validateRequest('traces', nestedAttribute(1), { maxAttributeDepth: -1 });
    expect(bad.isErr() && bad.error.message).toBe('maxAttributeDepth must be an integer 0..1000, got -1');
  });

  it('counts kvlist_value levels too, and a log body from 0', () => {
    const w = new WireWriter();
    w.begin();
    w.begin();
    w.begin(); // LogRecord
    w.begin(); // body
    for (let i = 0; i < 65; i++) {
      w.begin(); // kvlist_value
      w.begin(); // values: KeyValue
      w.stringField(1, 'k');
      w.begin(); // KeyValue.value
    }
    for (let i = 0; i < 65; i++) {
      w.end(2);
      w.end(1);
      w.end(6);
    }
    w.end(5);
    w.end(2);
    w.end(2);
    w.end(1);
    const r = refusal('logs', w.finish());
    expect(r.field).toBe(
      `resource_logs[0].scope_logs[0].log_records[0].body${'.kvlist_value.values[0].value'.repeat(65)}`,
    );
  });
});

describe('validateRequest: ids', () => {
  it('refuses a span trace_id of 3 bytes, naming it', () => {
    const bytes = oneSpan((w) => w.bytesField(1, new Uint8Array(3)));
    const r = refusal('traces', bytes);
    expect(r.code).toBe('ERR_PDATA_INVALID');
    expect(r.field).toBe(`${SPAN}.trace_id`);
    expect(r.message).toMatch(
      /^resource_spans\[0\]\.scope_spans\[0\]\.spans\[0\]\.trace_id: 3 bytes, must be 16 or empty \(offset \d+\)$/,
    );
  });

  it('accepts 16 / 8 bytes or empty ids (a root span, a log without a trace)', () => {
    const ok = oneSpan((w) => {
      w.bytesField(1, new Uint8Array(16));
      w.bytesField(2, new Uint8Array(8));
      w.bytesField(4, new Uint8Array(0));
    });
    expect(validateRequest('traces', ok).isOk()).toBe(true);
    expect(
      validateRequest(
        'traces',
        oneSpan((w) => w.bytesField(1, new Uint8Array(0))),
      ).isOk(),
    ).toBe(true);
  });

  it.each([
    [2, 'span_id', 16, 8],
    [4, 'parent_span_id', 9, 8],
    [1, 'trace_id', 500_000, 16],
  ])('refuses Span field %i (%s) of %i bytes', (fn, name, n, must) => {
    const r = refusal(
      'traces',
      oneSpan((w) => w.bytesField(fn, new Uint8Array(n))),
    );
    expect(r.field).toBe(`${SPAN}.${name}`);
    expect(r.message).toContain(`: ${n} bytes, must be ${must} or empty`);
  });

  it('checks link, log record and exemplar ids', () => {
    const link = oneSpan((w) => {
      w.begin();
      w.bytesField(1, new Uint8Array(16));
      w.bytesField(2, new Uint8Array(4));
      w.end(13);
      w.begin();
      w.bytesField(1, new Uint8Array(15));
      w.end(13);
    });
    expect(refusal('traces', link).field).toBe(`${SPAN}.links[0].span_id`);
    const logs = encodeRequest('logs', {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ traceId: new Uint8Array(0) }, { spanId: new Uint8Array(7) }] }] },
      ],
    } as unknown as RequestOf<'logs'>);
    expect(refusal('logs', logs).field).toBe('resource_logs[0].scope_logs[0].log_records[1].span_id');
    const metrics = encodeRequest('metrics', {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'm', gauge: { dataPoints: [{ exemplars: [{ traceId: new Uint8Array(12) }] }] } },
              ],
            },
          ],
        },
      ],
    } as unknown as RequestOf<'metrics'>);
    expect(refusal('metrics', metrics).field).toBe(
      'resource_metrics[0].scope_metrics[0].metrics[0].gauge.data_points[0].exemplars[0].trace_id',
    );
  });
});

const BAD = Uint8Array.from([0x61, 0xc3, 0x28]); // 'a' then a broken 2-byte sequence

describe('validateRequest: UTF-8', () => {
  it.each([
    ['span name', (w: WireWriter) => w.bytesField(5, BAD), `${SPAN}.name`],
    [
      'attribute key',
      (w: WireWriter) => {
        w.begin();
        w.bytesField(1, BAD);
        w.end(9);
      },
      `${SPAN}.attributes[0].key`,
    ],
    [
      'string value in a nested list',
      (w: WireWriter) => {
        w.stringField(5, 'ok ✓');
        w.begin();
        w.stringField(1, 'k');
        w.begin();
        w.begin();
        w.begin();
        w.stringField(1, 'fine');
        w.end(1);
        w.begin();
        w.bytesField(1, Uint8Array.from([0xed, 0xa0, 0x80])); // a UTF-16 surrogate, not UTF-8
        w.end(1);
        w.end(5);
        w.end(2);
        w.end(9);
      },
      `${SPAN}.attributes[0].value.array_value.values[1].string_value`,
    ],
    [
      'long string',
      (w: WireWriter) => w.bytesField(3, Uint8Array.from([...new Uint8Array(100).fill(0x41), 0xff])),
      `${SPAN}.trace_state`,
    ],
  ])('refuses invalid UTF-8 in a %s', (_, write, field) => {
    const r = refusal('traces', oneSpan(write));
    expect(r.code).toBe('ERR_PDATA_INVALID');
    expect(r.field).toBe(field);
    expect(r.message).toContain(`${field}: invalid UTF-8 in a string`);
  });

  it('checks resource attributes, scope names and log bodies', () => {
    const w = new WireWriter();
    w.begin(); // ResourceLogs
    w.begin(); // resource
    w.begin();
    w.stringField(1, 'service.name');
    w.begin();
    w.bytesField(1, BAD);
    w.end(2);
    w.end(1);
    w.end(1);
    w.end(1);
    expect(refusal('logs', w.finish()).field).toBe(
      'resource_logs[0].resource.attributes[0].value.string_value',
    );
    const scope = new WireWriter();
    scope.begin();
    scope.begin();
    scope.begin();
    scope.bytesField(1, BAD);
    scope.end(1);
    scope.end(2);
    scope.end(1);
    expect(refusal('metrics', scope.finish()).field).toBe('resource_metrics[0].scope_metrics[0].scope.name');
  });

  it('accepts valid multi-byte text and a leading BOM', () => {
    const bytes = oneSpan((w) => {
      w.stringField(5, '\uFEFFhéllo ✓ 🚀 '.repeat(5));
      w.stringField(3, 'ü');
    });
    expect(validateRequest('traces', bytes).isOk()).toBe(true);
  });
});

/** Replaces the one occurrence of `marker`'s UTF-8 bytes; returns undefined when it is not exactly once. */
function breakMarker(bytes: Uint8Array, marker: string): Uint8Array | undefined {
  const m = Buffer.from(marker);
  const b = Buffer.from(bytes);
  const at = b.indexOf(m);
  if (at < 0 || b.indexOf(m, at + 1) >= 0) return undefined;
  b[at + 1] = 0xff;
  return new Uint8Array(b);
}

const MARKER = '<<marker-for-utf8-test>>';

describe('validateRequest: properties', () => {
  it('accepts whatever the encoder writes from valid objects', () => {
    const anySignal = fc
      .constantFrom<Signal>('traces', 'metrics', 'logs')
      .chain((signal) => requests[signal].map((req) => [signal, req] as const));
    fc.assert(
      fc.property(anySignal, ([signal, req]) => {
        const r = validateRequest(signal, encodeRequest(signal, req as never));
        expect(r.isOk() || r.error.message).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const spansOf = (req: ExportTraceServiceRequest): [number, number, number][] =>
    req.resourceSpans.flatMap((rs, i) =>
      rs.scopeSpans.flatMap((ss, j) => ss.spans.map((_, k) => [i, j, k] as [number, number, number])),
    );
  const withSpan = requests.traces
    .filter((req) => spansOf(req).length > 0)
    .chain((req) => fc.constantFrom(...spansOf(req)).map((at) => [req, at] as const));
  const spanAt = (req: ExportTraceServiceRequest, [i, j, k]: readonly number[]) =>
    req.resourceSpans[i!]!.scopeSpans[j!]!.spans[k!]!;

  it('refuses a span whose id has another length, naming that span', () => {
    const field = fc.constantFrom(
      ['traceId', 'trace_id', 16],
      ['spanId', 'span_id', 8],
      ['parentSpanId', 'parent_span_id', 8],
    );
    const length = fc.integer({ min: 1, max: 40 });
    fc.assert(
      fc.property(withSpan, field, length, ([req, at], [key, name, must], n) => {
        fc.pre(n !== must);
        const span = spanAt(req, at);
        (span as unknown as Record<string, Uint8Array>)[key] = new Uint8Array(n).fill(7);
        const r = refusal('traces', encodeRequest('traces', req));
        const [i, j, k] = at;
        expect(r.field).toBe(`resource_spans[${i}].scope_spans[${j}].spans[${k}].${name}`);
        expect(r.message).toContain(`: ${n} bytes, must be ${must} or empty`);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses invalid UTF-8 injected into a span name or an attribute value, naming it', () => {
    fc.assert(
      fc.property(withSpan, fc.boolean(), ([req, at], inName) => {
        const span = spanAt(req, at);
        if (inName) span.name = MARKER;
        else span.attributes.unshift({ key: 'k', value: { stringValue: MARKER } });
        const bytes = breakMarker(encodeRequest('traces', req), MARKER);
        fc.pre(bytes !== undefined);
        const r = refusal('traces', bytes!);
        const [i, j, k] = at;
        const path = `resource_spans[${i}].scope_spans[${j}].spans[${k}]`;
        expect(r.field).toBe(inName ? `${path}.name` : `${path}.attributes[0].value.string_value`);
        expect(r.message).toContain('invalid UTF-8');
      }),
      { numRuns: 150 },
    );
  });
});
