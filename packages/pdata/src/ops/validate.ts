import { Err, Ok, type Result } from 'ts-results-es';
import { MAX_DEPTH } from '../codec/read.js';
import { PdataError } from '../errors.js';
import { fieldPath } from '../internal/field-path.js';
import { isUtf8Range } from '../internal/utf8.js';
import {
  ANY_VALUE,
  ID_BYTES,
  PACKED_FIXED64,
  REQUEST,
  STRING,
  VALUE_LIST,
  type Message,
} from '../internal/schema.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader } from '../internal/wire-reader.js';
import type { Signal } from '../signal.js';

export interface ValidateOptions {
  /**
   * How deep AnyValues may nest (array_value / kvlist_value levels below an
   * attribute's or a body's value), the same bound and default as the
   * protobuf codec and the OTLP/JSON reader: 64.
   */
  readonly maxAttributeDepth?: number;
}

const VALIDATE_DEFAULTS = { maxAttributeDepth: MAX_DEPTH } as const satisfies Required<ValidateOptions>;

/** Message levels outside AnyValues (request down to a data point's exemplar's attributes) and per AnyValue. */
const OUTER_LEVELS = 12;
const LEVELS_PER_ANY_VALUE = 3;

/**
 * Deep validation without decoding to objects: walks every known field of
 * every message of the request (spans, events, links, data points, exemplars,
 * attribute values ...) checking wire types and lengths, that every string is
 * UTF-8, that trace ids are 16 bytes and span ids 8 (or empty), and that
 * AnyValues nest at most `maxAttributeDepth` levels. Unknown fields are
 * skipped, as protobuf requires. An error names the field's proto path, e.g.
 * `resource_spans[0].scope_spans[1].spans[3].trace_id: 3 bytes, must be 16 or empty`.
 * `countItems` / `createBatch` check only the levels down to the items.
 */
export function validateRequest(
  signal: Signal,
  bytes: Uint8Array,
  options: ValidateOptions = {},
): Result<void, PdataError> {
  const maxAttributeDepth = options.maxAttributeDepth ?? VALIDATE_DEFAULTS.maxAttributeDepth;
  if (!Number.isInteger(maxAttributeDepth) || maxAttributeDepth < 0 || maxAttributeDepth > 1000) {
    return Err(
      new PdataError(
        'ERR_PDATA_INVALID',
        `maxAttributeDepth must be an integer 0..1000, got ${maxAttributeDepth}`,
      ),
    );
  }
  const root = REQUEST[signal];
  const w = new Walker(new WireReader(bytes), maxAttributeDepth);
  try {
    w.walk(root, bytes.length, 0, 0);
    return Ok(undefined);
  } catch (e) {
    // Not expected (recursion is bounded, nothing is allocated from the input): still a value.
    if (!(e instanceof PdataError)) {
      const message = e instanceof Error ? e.message : String(e);
      return Err(new PdataError('ERR_PDATA_INVALID', message, -1, '', { cause: e }));
    }
    const path = fieldPath(bytes, root, e.offset);
    const field = path || 'request';
    return Err(new PdataError(e.code, `${field}: ${e.message}`, e.offset, field, { cause: e }));
  }
}

class Walker {
  private readonly maxMessageDepth: number;

  constructor(
    private readonly r: WireReader,
    private readonly maxAttributeDepth: number,
  ) {
    // A bound on recursion of its own: no real request nests messages deeper.
    this.maxMessageDepth = OUTER_LEVELS + LEVELS_PER_ANY_VALUE * (maxAttributeDepth + 1);
  }

  /** `depth` counts messages from the root, `anyDepth` the ArrayValue / KeyValueList levels above. */
  walk(m: Message, end: number, depth: number, anyDepth: number): void {
    const r = this.r;
    const saveEnd = r.end;
    r.end = end;
    const kinds = m.byNumber;
    while (r.pos < end) {
      const at = r.pos;
      const t = r.tag();
      const fn = t >>> 3;
      const wt = t & 7;
      const kind = fn < kinds.length ? kinds[fn] : undefined;
      if (kind === undefined) r.skip(t);
      else if (typeof kind === 'object') {
        if (wt !== WIRE_LEN) r.fail('ERR_PDATA_WIRE_TYPE', `wire type ${wt}, expected ${WIRE_LEN}`, at);
        if (kind.nesting === ANY_VALUE && anyDepth > this.maxAttributeDepth)
          r.fail('ERR_PDATA_INVALID', `AnyValue nested deeper than ${this.maxAttributeDepth} levels`, at);
        if (depth >= this.maxMessageDepth)
          r.fail('ERR_PDATA_INVALID', `messages nested deeper than ${this.maxMessageDepth}`, at);
        const e = r.lengthEnd();
        this.walk(kind, e, depth + 1, kind.nesting === VALUE_LIST ? anyDepth + 1 : anyDepth);
        r.pos = e;
      } else if (kind < PACKED_FIXED64) {
        if (wt !== kind) r.fail('ERR_PDATA_WIRE_TYPE', `wire type ${wt}, expected ${kind}`, at);
        r.skip(t);
      } else if (kind >= STRING) this.checked(kind, wt, at);
      else this.packed(kind, t, at);
    }
    r.end = saveEnd;
  }

  /** STRING, TRACE_ID, SPAN_ID: a LEN field whose content is checked. */
  private checked(kind: number, wt: number, at: number): void {
    const r = this.r;
    if (wt !== WIRE_LEN) r.fail('ERR_PDATA_WIRE_TYPE', `wire type ${wt}, expected ${WIRE_LEN}`, at);
    const e = r.lengthEnd();
    const n = e - r.pos;
    if (kind === STRING) {
      if (n > 0 && !isUtf8Range(r.buf, r.pos, e))
        r.fail('ERR_PDATA_INVALID', 'invalid UTF-8 in a string', at);
    } else if (n !== 0 && n !== ID_BYTES[kind]) {
      r.fail('ERR_PDATA_INVALID', `${n} bytes, must be ${ID_BYTES[kind]} or empty`, at);
    }
    r.pos = e;
  }

  /** Repeated scalars, packed (LEN) or one by one. */
  private packed(kind: number, t: number, at: number): void {
    const r = this.r;
    const wt = t & 7;
    const single = kind === PACKED_FIXED64 ? WIRE_FIXED64 : WIRE_VARINT;
    if (wt === single) return r.skip(t);
    if (wt !== WIRE_LEN)
      r.fail('ERR_PDATA_WIRE_TYPE', `wire type ${wt}, expected ${WIRE_LEN} or ${single}`, at);
    const e = r.lengthEnd();
    if (kind === PACKED_FIXED64) {
      if ((e - r.pos) % 8 !== 0) r.fail('ERR_PDATA_INVALID', `packed fixed64 of ${e - r.pos} bytes`, at);
      r.pos = e;
      return;
    }
    const outer = r.end;
    r.end = e;
    while (r.pos < e) r.skip(WIRE_VARINT);
    r.end = outer;
  }
}
