import { decodeAnyValue } from '../codec/decode-common.js';
import type { Item, MetricType } from '../item.js';
import type { AnyValue, KeyValue } from '../model.js';
import type { Signal } from '../signal.js';
import type { AttributeValue } from './resource-attrs.js';
import { Enclosing } from './item-enclosing.js';
import { encodedKeyValue, keyBytes, scalarKeyValue, toAnyValue, type Edit } from './item-edits.js';
import type { Tape } from './tape.js';
import { WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, WireReader } from './wire-reader.js';

/** Numbers per indexed attribute. */
const ATTR = 5;
const SPAN = 0;
const LOG = 1;
const POINT = 2;

/** Metric data field -> data point attributes field, and the type's name. */
const POINT_ATTRIBUTES: Record<number, number> = { 5: 7, 7: 7, 9: 9, 10: 1, 11: 7 };
const METRIC_TYPES: Record<number, MetricType> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponential_histogram',
  11: 'summary',
};

/**
 * The one object behind every ItemView of a walk: moved from item to item.
 * It indexes an item's top-level fields on first use (the offset of the last
 * occurrence of each field, which is the one protobuf keeps) and decodes a
 * value only when asked for it. Enclosing messages (resource, scope, metric)
 * are located through `ctxStart` / `ctxEnd`, set by the walker per level.
 */
export class ItemCursor implements Item {
  index = -1;
  readonly ctxStart = [0, 0, 0, 0, 0, 0];
  readonly ctxEnd = [0, 0, 0, 0, 0, 0];
  /** Field number of the message at each level in its parent (level 4: the metric data field). */
  readonly ctxField = [0, 0, 0, 0, 0, 0];
  readonly edits: Edit[] = [];
  private readonly r: WireReader;
  private readonly type: number;
  private start = 0;
  private end = 0;
  private indexed = false;
  private readonly at = new Int32Array(32);
  private readonly wireType = new Uint8Array(32);
  /** Attributes, ATTR numbers each: field start, field end, key start, key end, value length-prefix offset (-1: none). */
  private readonly attrs: number[] = [];
  private readonly enclosing: Enclosing;
  private lastSet: { key: string; value: AttributeValue; field: number; any: AnyValue; encoded: Uint8Array } =
    {
      key: '',
      value: '',
      field: -1,
      any: {},
      encoded: new Uint8Array(0),
    };

  constructor(
    readonly signal: Signal,
    readonly buf: Uint8Array,
  ) {
    this.r = new WireReader(buf);
    this.type = signal === 'traces' ? SPAN : signal === 'logs' ? LOG : POINT;
    this.enclosing = new Enclosing(buf, this.ctxStart, this.ctxEnd);
  }

  /** Moves to the item whose payload is [start, end). */
  bind(start: number, end: number, index: number): void {
    this.start = start;
    this.end = end;
    this.index = index;
    this.indexed = false;
    this.edits.length = 0;
  }

  /** The field number of item attributes. */
  attributesField(): number {
    return this.type === SPAN ? 9 : this.type === LOG ? 6 : POINT_ATTRIBUTES[this.ctxField[4]!]!;
  }

  name(): string {
    return this.type === SPAN
      ? this.str(5)
      : this.type === LOG
        ? this.str(12)
        : this.enclosing.metricField(0);
  }
  traceId(): string {
    return this.type === SPAN ? this.hex(1) : this.type === LOG ? this.hex(9) : '';
  }
  spanId(): string {
    return this.type === SPAN ? this.hex(2) : this.type === LOG ? this.hex(10) : '';
  }
  parentSpanId(): string {
    return this.type === SPAN ? this.hex(4) : '';
  }
  traceState(): string {
    return this.type === SPAN ? this.str(3) : '';
  }
  kind(): number {
    return this.type === SPAN ? this.int(6) : 0;
  }
  statusCode(): number {
    return this.status().code;
  }
  statusMessage(): string {
    return this.status().message;
  }
  startTimeUnixNano(): bigint {
    return this.type === SPAN ? this.fixed64(7) : this.type === POINT ? this.fixed64(2) : 0n;
  }
  endTimeUnixNano(): bigint {
    return this.type === SPAN ? this.fixed64(8) : 0n;
  }
  timeUnixNano(): bigint {
    return this.type === LOG ? this.fixed64(1) : this.type === POINT ? this.fixed64(3) : 0n;
  }
  severityNumber(): number {
    return this.type === LOG ? this.int(2) : 0;
  }
  severityText(): string {
    return this.type === LOG ? this.str(3) : '';
  }
  body(): AnyValue | undefined {
    if (this.type !== LOG) return undefined;
    const p = this.locate(5, WIRE_LEN, 'LogRecord.body');
    return p < 0 ? undefined : this.anyValueAt(p);
  }
  metricName(): string {
    return this.type === POINT ? this.enclosing.metricField(0) : '';
  }
  metricDescription(): string {
    return this.type === POINT ? this.enclosing.metricField(1) : '';
  }
  metricUnit(): string {
    return this.type === POINT ? this.enclosing.metricField(2) : '';
  }
  metricType(): MetricType | undefined {
    return this.type === POINT ? METRIC_TYPES[this.ctxField[4]!] : undefined;
  }

  attribute(key: string): AnyValue | undefined {
    const edit = this.edits.find((e) => e.key === key);
    if (edit) return edit.value;
    const i = this.findAttribute(key);
    if (i < 0) return undefined;
    const valueAt = this.attrs[i + 4]!;
    return valueAt < 0 ? {} : this.anyValueAt(valueAt);
  }

  hasAttribute(key: string): boolean {
    const edit = this.edits.find((e) => e.key === key);
    return edit ? edit.value !== undefined : this.findAttribute(key) >= 0;
  }

  attributes(): KeyValue[] {
    this.ensureIndexed();
    const out: KeyValue[] = [];
    for (let i = 0; i < this.attrs.length; i += ATTR) {
      const key = this.r.buf.subarray(this.attrs[i + 2], this.attrs[i + 3]);
      const edit = this.editOf(this.r.buf, this.attrs[i + 2]!, this.attrs[i + 3]!);
      if (edit) {
        if (edit.value !== undefined && !out.some((kv) => kv.key === edit.key))
          out.push({ key: edit.key, value: edit.value });
        continue;
      }
      const valueAt = this.attrs[i + 4]!;
      out.push({ key: textDecoder.decode(key), value: valueAt < 0 ? {} : this.anyValueAt(valueAt) });
    }
    for (const e of this.edits)
      if (e.value !== undefined && !out.some((kv) => kv.key === e.key))
        out.push({ key: e.key, value: e.value });
    return out;
  }

  resourceAttribute(key: string): AnyValue | undefined {
    return this.resourceAttributes().find((kv) => kv.key === key)?.value;
  }

  resourceAttributes(): KeyValue[] {
    return this.enclosing.resourceAttributes();
  }

  scopeName(): string {
    return this.enclosing.scope()?.name ?? '';
  }
  scopeVersion(): string {
    return this.enclosing.scope()?.version ?? '';
  }

  setAttribute(key: string, value: AttributeValue | AnyValue): void {
    if (typeof key !== 'string') throw new TypeError('setAttribute: key must be a string');
    if (typeof value === 'object') return this.edit(key, toAnyValue(value), undefined);
    // A processor sets the same pair on every item: reuse the last encoding.
    const field = this.attributesField();
    const m = this.lastSet;
    if (m.key !== key || m.value !== value || m.field !== field)
      this.lastSet = {
        key,
        value,
        field,
        any: toAnyValue(value),
        encoded: scalarKeyValue(field, key, value),
      };
    this.edit(key, this.lastSet.any, this.lastSet.encoded);
  }

  removeAttribute(key: string): void {
    if (this.hasAttribute(key) || this.edits.some((e) => e.key === key)) this.edit(key, undefined);
  }

  /** Writes the item (field `field`) with its attribute edits applied. */
  writeEdited(tape: Tape, field: number): void {
    this.ensureIndexed();
    const attrField = this.attributesField();
    const buf = this.r.buf;
    const a = this.attrs;
    tape.begin(field);
    let pos = this.start;
    for (let i = 0; i < a.length; i += ATTR) {
      const edit = this.editOf(buf, a[i + 2]!, a[i + 3]!);
      if (edit === undefined) continue;
      tape.copy(pos, a[i]!);
      pos = a[i + 1]!;
      if (edit.value !== undefined && !edit.emitted) tape.bytes(encodedKeyValue(attrField, edit));
      edit.emitted = true;
    }
    tape.copy(pos, this.end);
    for (const e of this.edits)
      if (e.value !== undefined && !e.emitted) tape.bytes(encodedKeyValue(attrField, e));
    tape.end();
  }

  /** The edit of the attribute whose key is buf[keyStart, keyEnd), if any. */
  private editOf(buf: Uint8Array, keyStart: number, keyEnd: number): Edit | undefined {
    outer: for (const e of this.edits) {
      const k = e.keyBytes;
      if (k.length !== keyEnd - keyStart) continue;
      for (let j = 0; j < k.length; j++) if (buf[keyStart + j] !== k[j]) continue outer;
      return e;
    }
    return undefined;
  }

  private edit(key: string, value: AnyValue | undefined, encoded?: Uint8Array): void {
    const existing = this.edits.find((e) => e.key === key);
    if (existing) {
      existing.value = value;
      existing.encoded = encoded;
    } else this.edits.push({ key, keyBytes: keyBytes(key), value, encoded, emitted: false });
  }

  private ensureIndexed(): void {
    if (this.indexed) return;
    const r = this.r;
    const attrField = this.attributesField();
    this.at.fill(-1);
    this.attrs.length = 0;
    r.pos = this.start;
    r.end = this.end;
    while (r.pos < this.end) {
      r.field = 'item';
      const fStart = r.pos;
      const t = r.tag();
      const fn = t >>> 3;
      if (fn === attrField && (t & 7) === WIRE_LEN) {
        this.indexAttribute(fStart);
        continue;
      }
      if (fn < 32) {
        this.at[fn] = r.pos;
        this.wireType[fn] = t & 7;
      }
      r.skip(t);
    }
    this.indexed = true;
  }

  /** Records the KeyValue field starting at `fStart` (reader just past its tag) and moves past it. */
  private indexAttribute(fStart: number): void {
    const r = this.r;
    const end = r.lengthEnd();
    const outer = r.end;
    r.end = end;
    let keyStart = r.pos;
    let keyEnd = r.pos;
    let valueAt = -1;
    while (r.pos < end) {
      r.field = 'KeyValue';
      const t = r.tag();
      if (t === ((1 << 3) | WIRE_LEN)) {
        const kEnd = r.lengthEnd();
        keyStart = r.pos;
        keyEnd = kEnd;
        r.pos = kEnd;
      } else {
        if (t === ((2 << 3) | WIRE_LEN)) valueAt = r.pos;
        r.skip(t);
      }
    }
    r.end = outer;
    this.attrs.push(fStart, end, keyStart, keyEnd, valueAt);
  }

  private findAttribute(key: string): number {
    this.ensureIndexed();
    const k = keyBytes(key);
    const buf = this.r.buf;
    const a = this.attrs;
    outer: for (let i = 0; i < a.length; i += ATTR) {
      const s = a[i + 2]!;
      if (a[i + 3]! - s !== k.length) continue;
      for (let j = 0; j < k.length; j++) if (buf[s + j] !== k[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** The offset after the tag of field `fn` (last occurrence), or -1; checks its wire type. */
  private locate(fn: number, wireType: number, name: string): number {
    this.ensureIndexed();
    const p = this.at[fn]!;
    if (p >= 0 && this.wireType[fn] !== wireType) {
      this.r.field = name;
      this.r.fail(
        'ERR_PDATA_WIRE_TYPE',
        `${name} has wire type ${this.wireType[fn]}, expected ${wireType}`,
        p,
      );
    }
    return p;
  }

  private str(fn: number): string {
    const p = this.locate(fn, WIRE_LEN, `field ${fn}`);
    if (p < 0) return '';
    this.r.pos = p;
    this.r.end = this.end;
    return this.r.string();
  }

  private hex(fn: number): string {
    const p = this.locate(fn, WIRE_LEN, `field ${fn}`);
    if (p < 0) return '';
    this.r.pos = p;
    this.r.end = this.end;
    const b = this.r.bytesView();
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  }

  private int(fn: number): number {
    const p = this.locate(fn, WIRE_VARINT, `field ${fn}`);
    if (p < 0) return 0;
    this.r.pos = p;
    this.r.end = this.end;
    return this.r.varint32() | 0;
  }

  private fixed64(fn: number): bigint {
    const p = this.locate(fn, WIRE_FIXED64, `field ${fn}`);
    if (p < 0) return 0n;
    this.r.pos = p;
    this.r.end = this.end;
    return this.r.fixed64();
  }

  private status(): { code: number; message: string } {
    const out = { code: 0, message: '' };
    if (this.type !== SPAN) return out;
    const p = this.locate(15, WIRE_LEN, 'Span.status');
    if (p < 0) return out;
    const r = this.r;
    r.pos = p;
    r.end = this.end;
    const end = r.lengthEnd();
    r.end = end;
    while (r.pos < end) {
      r.field = 'Status';
      const t = r.tag();
      if (t === ((2 << 3) | WIRE_LEN)) out.message = r.string();
      else if (t === ((3 << 3) | WIRE_VARINT)) out.code = r.varint32() | 0;
      else r.skip(t);
    }
    return out;
  }

  private anyValueAt(p: number): AnyValue {
    const r = this.r;
    r.pos = p;
    r.end = this.r.buf.length;
    return decodeAnyValue(r, 0);
  }
}

const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
