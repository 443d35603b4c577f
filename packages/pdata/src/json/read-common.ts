import { MAX_DEPTH } from '../codec/read.js';
import type { AnyValue, EntityRef, InstrumentationScope, KeyValue, Resource } from '../model.js';
import {
  type JsonPath,
  asArray,
  asObject,
  base64,
  bool,
  camel,
  double,
  int32,
  int64,
  str,
  uint32,
} from './values.js';

/** Reads a repeated message field, tracking the index in the path. */
export function repeated<T>(p: JsonPath, v: unknown, read: (p: JsonPath, v: unknown) => T): T[] {
  const arr = asArray(p, v);
  const out: T[] = [];
  for (let i = 0; i < arr.length; i++) {
    p.parts.push(i);
    out.push(read(p, arr[i]));
    p.parts.pop();
  }
  return out;
}

/** A message field: null is absent. */
export function message<T>(p: JsonPath, v: unknown, read: (p: JsonPath, v: unknown) => T): T | undefined {
  return v === null ? undefined : read(p, v);
}

export function attributes(p: JsonPath, v: unknown): KeyValue[] {
  return repeated(p, v, readKeyValue0);
}

function readKeyValue0(p: JsonPath, v: unknown): KeyValue {
  return readKeyValue(p, v, 0);
}

export function readKeyValue(p: JsonPath, v: unknown, depth: number): KeyValue {
  const o = asObject(p, v);
  let key = '';
  let value: AnyValue | undefined;
  let keyStrindex = 0;
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'key':
        key = str(p, x);
        break;
      case 'value':
        value = x === null ? undefined : readAnyValue(p, x, depth);
        break;
      case 'keyStrindex':
        keyStrindex = int32(p, x);
        break;
    }
    p.parts.pop();
  }
  if (keyStrindex !== 0) return { key, value, keyStrindex };
  return { key, value };
}

export function readAnyValue(p: JsonPath, v: unknown, depth: number): AnyValue {
  if (depth > MAX_DEPTH) p.fail(`AnyValue nested deeper than ${MAX_DEPTH} levels`);
  const o = asObject(p, v);
  let out: AnyValue = {};
  let member: string | undefined;
  for (const k in o) {
    const x = o[k];
    if (x === null) continue;
    const ck = camel(k);
    p.parts.push(k);
    let next: AnyValue | undefined;
    switch (ck) {
      case 'stringValue':
        next = { stringValue: str(p, x) };
        break;
      case 'boolValue':
        next = { boolValue: bool(p, x) };
        break;
      case 'intValue':
        next = { intValue: int64(p, x) };
        break;
      case 'doubleValue':
        next = { doubleValue: double(p, x) };
        break;
      case 'arrayValue':
        next = { arrayValue: { values: listValues(p, x, depth, readAnyValue) } };
        break;
      case 'kvlistValue':
        next = { kvlistValue: { values: listValues(p, x, depth, readKeyValue) } };
        break;
      case 'bytesValue':
        next = { bytesValue: base64(p, x) };
        break;
      case 'stringValueStrindex':
        next = { stringValueStrindex: int32(p, x) };
        break;
    }
    if (next !== undefined) {
      if (member !== undefined) p.fail(`AnyValue has both ${member} and ${ck}`);
      member = ck;
      out = next;
    }
    p.parts.pop();
  }
  return out;
}

/** ArrayValue / KeyValueList: `{ values: [...] }`. */
function listValues<T>(
  p: JsonPath,
  v: unknown,
  depth: number,
  read: (p: JsonPath, v: unknown, depth: number) => T,
): T[] {
  const o = asObject(p, v);
  let values: T[] = [];
  for (const k in o) {
    if (k !== 'values') continue;
    p.parts.push(k);
    const arr = asArray(p, o[k]);
    values = [];
    for (let i = 0; i < arr.length; i++) {
      p.parts.push(i);
      values.push(read(p, arr[i], depth + 1));
      p.parts.pop();
    }
    p.parts.pop();
  }
  return values;
}

export function readScope(p: JsonPath, v: unknown): InstrumentationScope {
  const o = asObject(p, v);
  const s: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'name':
        s.name = str(p, x);
        break;
      case 'version':
        s.version = str(p, x);
        break;
      case 'attributes':
        s.attributes = attributes(p, x);
        break;
      case 'droppedAttributesCount':
        s.droppedAttributesCount = uint32(p, x);
        break;
    }
    p.parts.pop();
  }
  return s;
}

export function readResource(p: JsonPath, v: unknown): Resource {
  const o = asObject(p, v);
  const r: Resource = { attributes: [], droppedAttributesCount: 0, entityRefs: [] };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'attributes':
        r.attributes = attributes(p, x);
        break;
      case 'droppedAttributesCount':
        r.droppedAttributesCount = uint32(p, x);
        break;
      case 'entityRefs':
        r.entityRefs = repeated(p, x, readEntityRef);
        break;
    }
    p.parts.pop();
  }
  return r;
}

function readEntityRef(p: JsonPath, v: unknown): EntityRef {
  const o = asObject(p, v);
  const e: EntityRef = { schemaUrl: '', type: '', idKeys: [], descriptionKeys: [] };
  for (const k in o) {
    const x = o[k];
    p.parts.push(k);
    switch (camel(k)) {
      case 'schemaUrl':
        e.schemaUrl = str(p, x);
        break;
      case 'type':
        e.type = str(p, x);
        break;
      case 'idKeys':
        e.idKeys = repeated(p, x, str);
        break;
      case 'descriptionKeys':
        e.descriptionKeys = repeated(p, x, str);
        break;
    }
    p.parts.pop();
  }
  return e;
}

/**
 * The resource-level / scope-level envelope shared by the three signals.
 * `items` reads the scope-level's repeated record field.
 */
export interface Envelope<I> {
  resource?: Resource;
  scopes: { scope?: InstrumentationScope; items: I[]; schemaUrl: string }[];
  schemaUrl: string;
}

export function readEnvelopes<I>(
  p: JsonPath,
  v: unknown,
  topKey: string,
  scopeKey: string,
  itemKey: string,
  readItem: (p: JsonPath, v: unknown) => I,
): Envelope<I>[] {
  const top = asObject(p, v);
  let out: Envelope<I>[] = [];
  for (const k in top) {
    if (camel(k) !== topKey) continue;
    p.parts.push(k);
    out = repeated(p, top[k], (p1, rv) => {
      const ro = asObject(p1, rv);
      const env: Envelope<I> = { resource: undefined, scopes: [], schemaUrl: '' };
      for (const rk in ro) {
        const x = ro[rk];
        p1.parts.push(rk);
        const ck = camel(rk);
        if (ck === 'resource') env.resource = message(p1, x, readResource);
        else if (ck === 'schemaUrl') env.schemaUrl = str(p1, x);
        else if (ck === scopeKey)
          env.scopes = repeated(p1, x, (p2, sv) => {
            const so = asObject(p2, sv);
            const sc: Envelope<I>['scopes'][number] = { scope: undefined, items: [], schemaUrl: '' };
            for (const sk in so) {
              const y = so[sk];
              p2.parts.push(sk);
              const csk = camel(sk);
              if (csk === 'scope') sc.scope = message(p2, y, readScope);
              else if (csk === 'schemaUrl') sc.schemaUrl = str(p2, y);
              else if (csk === itemKey) sc.items = repeated(p2, y, readItem);
              p2.parts.pop();
            }
            return sc;
          });
        p1.parts.pop();
      }
      return env;
    });
    p.parts.pop();
  }
  return out;
}
