// A minimal OTLP/HTTP backend in a child process, so its CPU is not counted as the gateway's.
// It counts spans with the wire scan, answers 200 with an empty ExportTraceServiceResponse,
// and tells the parent (IPC) when it has seen the number of spans it was told to expect.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { countItems } from '@otlp-kafka/pdata';

export interface SinkStats {
  readonly spans: number;
  readonly requests: number;
  readonly bytes: number;
  /** The sink's own CPU (user + system µs) since the counters were reset: shown, never counted as the gateway's. */
  readonly cpuUs: number;
}

/** parent -> sink: reset the counters and report once `spans` have arrived. */
export interface SinkCommand {
  readonly type: 'expect';
  readonly spans: number;
}

export type SinkMessage = { type: 'listening'; url: string } | { type: 'reached'; stats: SinkStats };

const send = (m: SinkMessage): void => {
  process.send?.(m);
};

let stats = { spans: 0, requests: 0, bytes: 0 };
let target = Number.POSITIVE_INFINITY;
let cpuFrom = process.cpuUsage();

const snapshot = (): SinkStats => {
  const c = process.cpuUsage(cpuFrom);
  return { ...stats, cpuUs: c.user + c.system };
};

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const n = req.url === '/v1/traces' ? countItems('traces', body) : undefined;
    if (!n || n.isErr()) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('not an OTLP trace request');
      return;
    }
    stats = { spans: stats.spans + n.value, requests: stats.requests + 1, bytes: stats.bytes + body.length };
    // An empty ExportTraceServiceResponse: full success.
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' }).end();
    if (stats.spans >= target) {
      target = Number.POSITIVE_INFINITY;
      send({ type: 'reached', stats: snapshot() });
    }
  });
}

const server = createServer({ keepAliveTimeout: 30_000 }, handle);
process.on('message', (m: SinkCommand) => {
  if (m.type !== 'expect') return;
  stats = { spans: 0, requests: 0, bytes: 0 };
  cpuFrom = process.cpuUsage();
  target = m.spans;
});
// The parent ends this process by disconnecting the IPC channel.
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'listening', url: `http://127.0.0.1:${port}` });
});
