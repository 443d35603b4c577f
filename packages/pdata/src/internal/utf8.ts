import { isUtf8 } from 'node:buffer';

/** Up to this many bytes JS checks faster than a native call (which also needs a subarray). */
const JS_MAX_BYTES = 256;

/** Whether buf[start, end) is well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF). */
export function isUtf8Range(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start > JS_MAX_BYTES) return isUtf8(buf.subarray(start, end));
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
    if (n === 0 || end - i < n) return false;
    const c1 = buf[i + 1]!;
    if ((c1 & 0xc0) !== 0x80) return false;
    if (n >= 3) {
      if ((buf[i + 2]! & 0xc0) !== 0x80) return false;
      // Overlong 3-byte, UTF-16 surrogates; overlong 4-byte, above U+10FFFF.
      if (
        c === 0xe0 ? c1 < 0xa0 : c === 0xed ? c1 >= 0xa0 : c === 0xf0 ? c1 < 0x90 : c === 0xf4 && c1 >= 0x90
      )
        return false;
      if (n === 4 && (buf[i + 3]! & 0xc0) !== 0x80) return false;
    }
    i += n;
  }
  return true;
}
