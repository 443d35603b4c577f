import type { WireReader } from '../internal/wire-reader.js';
import type { AnyValue, EntityRef, InstrumentationScope, KeyValue, Resource } from '../model.js';
import {
  MAX_DEPTH,
  enter,
  messageInfo,
  otherField,
  readBool,
  readBytes,
  readDouble,
  readInt32,
  readInt64,
  readString,
} from './read.js';

const ANY_VALUE = messageInfo('AnyValue', {
  1: 'string_value',
  2: 'bool_value',
  3: 'int_value',
  4: 'double_value',
  5: 'array_value',
  6: 'kvlist_value',
  7: 'bytes_value',
  8: 'string_value_strindex',
});
const ARRAY_VALUE = messageInfo('ArrayValue', { 1: 'values' });
const KEY_VALUE_LIST = messageInfo('KeyValueList', { 1: 'values' });
const KEY_VALUE = messageInfo('KeyValue', { 1: 'key', 2: 'value', 3: 'key_strindex' });
const SCOPE = messageInfo('InstrumentationScope', {
  1: 'name',
  2: 'version',
  3: 'attributes',
  4: 'dropped_attributes_count',
});
const RESOURCE = messageInfo('Resource', {
  1: 'attributes',
  2: 'dropped_attributes_count',
  3: 'entity_refs',
});
const ENTITY_REF = messageInfo('EntityRef', {
  1: 'schema_url',
  2: 'type',
  3: 'id_keys',
  4: 'description_keys',
});

const K_NONE = 0;
const K_STRING = 1;
const K_BOOL = 2;
const K_INT = 3;
const K_DOUBLE = 4;
const K_ARRAY = 5;
const K_KVLIST = 6;
const K_BYTES = 7;
const K_STRINDEX = 8;

/** AnyValue at the reader (length prefix next). `depth` counts enclosing AnyValues. */
export function decodeAnyValue(r: WireReader, depth: number): AnyValue {
  if (depth > MAX_DEPTH) {
    r.field = 'AnyValue';
    r.fail('ERR_PDATA_INVALID', `AnyValue nested deeper than ${MAX_DEPTH} levels`);
  }
  const outer = enter(r);
  let kind = K_NONE;
  let v: unknown;
  while (r.pos < r.end) {
    r.field = 'AnyValue';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'AnyValue.string_value';
        kind = K_STRING;
        v = readString(r);
        break;
      case (2 << 3) | 0:
        r.field = 'AnyValue.bool_value';
        kind = K_BOOL;
        v = readBool(r);
        break;
      case (3 << 3) | 0:
        r.field = 'AnyValue.int_value';
        kind = K_INT;
        v = readInt64(r);
        break;
      case (4 << 3) | 1:
        r.field = 'AnyValue.double_value';
        kind = K_DOUBLE;
        v = readDouble(r);
        break;
      case (5 << 3) | 2:
        r.field = 'AnyValue.array_value';
        kind = K_ARRAY;
        v = decodeArrayValue(r, depth);
        break;
      case (6 << 3) | 2:
        r.field = 'AnyValue.kvlist_value';
        kind = K_KVLIST;
        v = decodeKeyValueList(r, depth);
        break;
      case (7 << 3) | 2:
        r.field = 'AnyValue.bytes_value';
        kind = K_BYTES;
        v = readBytes(r);
        break;
      case (8 << 3) | 0:
        r.field = 'AnyValue.string_value_strindex';
        kind = K_STRINDEX;
        v = readInt32(r);
        break;
      default:
        otherField(r, tag, ANY_VALUE);
    }
  }
  r.end = outer;
  switch (kind) {
    case K_STRING:
      return { stringValue: v as string };
    case K_BOOL:
      return { boolValue: v as boolean };
    case K_INT:
      return { intValue: v as bigint };
    case K_DOUBLE:
      return { doubleValue: v as number };
    case K_ARRAY:
      return { arrayValue: { values: v as AnyValue[] } };
    case K_KVLIST:
      return { kvlistValue: { values: v as KeyValue[] } };
    case K_BYTES:
      return { bytesValue: v as Uint8Array };
    case K_STRINDEX:
      return { stringValueStrindex: v as number };
    default:
      return {};
  }
}

function decodeArrayValue(r: WireReader, depth: number): AnyValue[] {
  const outer = enter(r);
  const values: AnyValue[] = [];
  while (r.pos < r.end) {
    r.field = 'ArrayValue';
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) values.push(decodeAnyValue(r, depth + 1));
    else otherField(r, tag, ARRAY_VALUE);
  }
  r.end = outer;
  return values;
}

function decodeKeyValueList(r: WireReader, depth: number): KeyValue[] {
  const outer = enter(r);
  const values: KeyValue[] = [];
  while (r.pos < r.end) {
    r.field = 'KeyValueList';
    const tag = r.tag();
    if (tag === ((1 << 3) | 2)) values.push(decodeKeyValue(r, depth + 1));
    else otherField(r, tag, KEY_VALUE_LIST);
  }
  r.end = outer;
  return values;
}

/** KeyValue at the reader; `depth` counts enclosing AnyValues (0 for attributes). */
export function decodeKeyValue(r: WireReader, depth = 0): KeyValue {
  const outer = enter(r);
  let key = '';
  let value: AnyValue | undefined;
  let keyStrindex = 0;
  while (r.pos < r.end) {
    r.field = 'KeyValue';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'KeyValue.key';
        key = readString(r);
        break;
      case (2 << 3) | 2:
        r.field = 'KeyValue.value';
        value = decodeAnyValue(r, depth);
        break;
      case (3 << 3) | 0:
        r.field = 'KeyValue.key_strindex';
        keyStrindex = readInt32(r);
        break;
      default:
        otherField(r, tag, KEY_VALUE);
    }
  }
  r.end = outer;
  if (keyStrindex !== 0) return { key, value, keyStrindex };
  return { key, value };
}

export function decodeScope(r: WireReader): InstrumentationScope {
  const outer = enter(r);
  let name = '';
  let version = '';
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    r.field = 'InstrumentationScope';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'InstrumentationScope.name';
        name = readString(r);
        break;
      case (2 << 3) | 2:
        r.field = 'InstrumentationScope.version';
        version = readString(r);
        break;
      case (3 << 3) | 2:
        r.field = 'InstrumentationScope.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (4 << 3) | 0:
        r.field = 'InstrumentationScope.dropped_attributes_count';
        droppedAttributesCount = r.varint32();
        break;
      default:
        otherField(r, tag, SCOPE);
    }
  }
  r.end = outer;
  return { name, version, attributes, droppedAttributesCount };
}

export function decodeResource(r: WireReader): Resource {
  const outer = enter(r);
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  const entityRefs: EntityRef[] = [];
  while (r.pos < r.end) {
    r.field = 'Resource';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'Resource.attributes';
        attributes.push(decodeKeyValue(r));
        break;
      case (2 << 3) | 0:
        r.field = 'Resource.dropped_attributes_count';
        droppedAttributesCount = r.varint32();
        break;
      case (3 << 3) | 2:
        r.field = 'Resource.entity_refs';
        entityRefs.push(decodeEntityRef(r));
        break;
      default:
        otherField(r, tag, RESOURCE);
    }
  }
  r.end = outer;
  return { attributes, droppedAttributesCount, entityRefs };
}

function decodeEntityRef(r: WireReader): EntityRef {
  const outer = enter(r);
  let schemaUrl = '';
  let type = '';
  const idKeys: string[] = [];
  const descriptionKeys: string[] = [];
  while (r.pos < r.end) {
    r.field = 'EntityRef';
    const tag = r.tag();
    switch (tag) {
      case (1 << 3) | 2:
        r.field = 'EntityRef.schema_url';
        schemaUrl = readString(r);
        break;
      case (2 << 3) | 2:
        r.field = 'EntityRef.type';
        type = readString(r);
        break;
      case (3 << 3) | 2:
        r.field = 'EntityRef.id_keys';
        idKeys.push(readString(r));
        break;
      case (4 << 3) | 2:
        r.field = 'EntityRef.description_keys';
        descriptionKeys.push(readString(r));
        break;
      default:
        otherField(r, tag, ENTITY_REF);
    }
  }
  r.end = outer;
  return { schemaUrl, type, idKeys, descriptionKeys };
}
