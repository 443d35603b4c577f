import type { Server, Socket } from 'node:net';
import type { Logger } from '@otlp-kafka/core';
import type { ReceiverMetrics, Transport } from './metrics.js';

/** At most one warning per this long about refused connections (the rest are counted into it). */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

/**
 * Counts refused connections (the metric, every time) and warns about them at
 * most once per REFUSAL_LOG_INTERVAL_MS, with how many were refused since the
 * previous warning: a flood of connections must not become a flood of log lines.
 */
export class ConnectionRefusals {
  private lastLogAt: number | undefined;
  private unlogged = 0;

  constructor(
    private readonly transport: Transport,
    private readonly maxConnections: number,
    private readonly metrics: ReceiverMetrics,
    private readonly logger: Logger,
  ) {}

  refused(remoteAddress: string | undefined): void {
    this.metrics.connectionRefused(this.transport);
    this.unlogged++;
    const now = Date.now();
    if (this.lastLogAt !== undefined && now - this.lastLogAt < REFUSAL_LOG_INTERVAL_MS) return;
    this.logger.warn(
      {
        transport: this.transport,
        maxConnections: this.maxConnections,
        refused: this.unlogged,
        remoteAddress,
      },
      `OTLP/${this.transport === 'grpc' ? 'gRPC' : 'HTTP'} connection refused: maxConnections open (further refusals are logged at most every ${REFUSAL_LOG_INTERVAL_MS / 1000} s, all are counted in otelcol_receiver_refused_connections)`,
    );
    this.lastLogAt = now;
    this.unlogged = 0;
  }
}

/**
 * Puts a gate in front of a listening server's own 'connection' handling (its
 * HTTP or TLS connection listener, and any added before): once `maxConnections`
 * admitted connections are open, a new one goes to `refuse` instead, and the
 * server never sees it. Returns the sockets refused and not yet closed (to be
 * destroyed at shutdown).
 */
export function gateConnections(
  server: Server,
  maxConnections: number,
  refuse: (socket: Socket) => void,
): { readonly refused: ReadonlySet<Socket> } {
  const refused = new Set<Socket>();
  if (maxConnections === 0) return { refused };
  const listeners = server.listeners('connection') as Array<(socket: Socket) => void>;
  server.removeAllListeners('connection');
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (open.size >= maxConnections) {
      refused.add(socket);
      socket.once('close', () => refused.delete(socket));
      refuse(socket);
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    for (const listener of listeners) listener.call(server, socket);
  });
  return { refused };
}
