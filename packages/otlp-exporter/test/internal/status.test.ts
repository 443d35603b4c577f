import { describe, expect, it } from 'vitest';
import { statusMessage } from '../../src/internal/status.js';

/** google.rpc.Status { code = 1 (varint), message = 2 (string) } */
function status(code: number, message: string): Uint8Array {
  const m = new TextEncoder().encode(message);
  return Uint8Array.from([0x08, code, 0x12, m.length, ...m]);
}

describe('statusMessage', () => {
  it('reads the message of a protobuf google.rpc.Status', () => {
    expect(statusMessage(status(3, 'bad span'), false)).toBe('bad span');
  });

  it('reads the message of a JSON Status', () => {
    expect(statusMessage(new TextEncoder().encode('{"code":3,"message":"bad json"}'), true)).toBe('bad json');
  });

  it('falls back to plain text and gives nothing for binary junk or an empty body', () => {
    expect(statusMessage(new TextEncoder().encode('upstream overloaded'), false)).toBe('upstream overloaded');
    expect(statusMessage(new TextEncoder().encode('not json'), true)).toBe('not json');
    expect(statusMessage(Uint8Array.from([0x0a, 0xff, 0x01, 0x02]), false)).toBeUndefined();
    expect(statusMessage(new Uint8Array(0), false)).toBeUndefined();
  });
});
