import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../../src/index.js';
import { fakeConsumer, protoRequest, startReceiver } from '../helpers.js';

let receiver: OtlpReceiver | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await receiver?.shutdown();
  receiver = undefined;
});

async function open(): Promise<Socket> {
  const { hostname, port } = new URL(receiver!.httpUrl!);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

const closed = (socket: Socket): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString()));
  });

const headers = (length: number): string =>
  `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${length}\r\n\r\n`;

describe('OTLP/HTTP connection timeouts', () => {
  it('closes a connection that sends nothing after readHeaderTimeoutMs', async () => {
    receiver = await startReceiver({}, { grpc: false, http: { readHeaderTimeoutMs: 150 } });
    const socket = await open();
    // Node alone holds such a connection forever (its headers timeout starts at the first byte).
    expect(await closed(socket)).toBe('');
  });

  it('closes a keep-alive connection idle after its answer after idleTimeoutMs', async () => {
    receiver = await startReceiver({ traces: fakeConsumer() }, { grpc: false, http: { idleTimeoutMs: 150 } });
    const socket = await open();
    const body = protoRequest('traces', 1);
    const done = closed(socket);
    socket.write(headers(body.byteLength));
    socket.write(body);
    expect(await done).toMatch(/^HTTP\/1\.1 200/);
  });

  it('does not cut a client sending its body slowly but steadily', async () => {
    const consumer = fakeConsumer();
    receiver = await startReceiver(
      { traces: consumer },
      { grpc: false, http: { readHeaderTimeoutMs: 100, idleTimeoutMs: 100 } },
    );
    const socket = await open();
    const body = protoRequest('traces', 1);
    const answer = new Promise<string>((resolve) =>
      socket.once('data', (c: Buffer) => resolve(c.toString())),
    );
    socket.write(headers(body.byteLength));
    // Ten pieces 40 ms apart: the whole body takes four times both timeouts.
    const step = Math.ceil(body.byteLength / 10);
    for (let at = 0; at < body.byteLength; at += step) {
      await new Promise((r) => setTimeout(r, 40));
      expect(socket.destroyed).toBe(false);
      socket.write(body.subarray(at, at + step));
    }
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
    expect(consumer.batches).toHaveLength(1);
  });
});
