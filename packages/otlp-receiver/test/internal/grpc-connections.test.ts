import { connect as connectHttp2 } from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../../src/index.js';
import { startReceiver } from '../helpers.js';

let receiver: OtlpReceiver | undefined;
const cleanup: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) c();
  await receiver?.shutdown();
  receiver = undefined;
});

const grpcOnly = async (): Promise<void> => {
  receiver = await startReceiver(
    {},
    { http: false, grpc: { keepalive: { serverParameters: { maxConnectionIdleMs: 150 } } } },
  );
};

describe('OTLP/gRPC idle connections', () => {
  it('closes an HTTP/2 session without streams after maxConnectionIdleMs', async () => {
    await grpcOnly();
    const session = connectHttp2(`http://${receiver!.grpcAddress!}`);
    cleanup.push(() => session.destroy());
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    await new Promise<void>((resolve) => session.once('close', () => resolve()));
    await goaway;
    expect(session.closed).toBe(true);
  });
});
