/**
 * The `message` of a google.rpc.Status error body (OTLP/HTTP failures carry
 * one), for error messages only: anything unexpected gives undefined.
 */
export function statusMessage(body: Uint8Array, json: boolean): string | undefined {
  if (body.length === 0) return undefined;
  if (json) {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
      if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string')
        return parsed.message;
    } catch {
      // not JSON: fall through to the text form
    }
    return printable(body);
  }
  try {
    return protoStatusMessage(body) ?? printable(body);
  } catch {
    return undefined; // not UTF-8
  }
}

/** Field 2 (string message) of google.rpc.Status. */
function protoStatusMessage(b: Uint8Array): string | undefined {
  let pos = 0;
  const varint = (): number | undefined => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (pos >= b.length) return undefined;
      const byte = b[pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
    return undefined;
  };
  while (pos < b.length) {
    const tag = varint();
    if (tag === undefined) return undefined;
    const wire = tag & 7;
    if (wire === 0) {
      if (varint() === undefined) return undefined;
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + len > b.length) return undefined;
      if (tag >>> 3 === 2)
        return new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else return undefined;
  }
  return undefined;
}

/** A short text snippet of a plain-text body; undefined if it looks binary. */
function printable(b: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(b.subarray(0, 512)).trim();
  return text && !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text) ? text : undefined;
}
