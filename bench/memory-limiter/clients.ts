/**
 * The load side of the memory-limiter bench, in its own process so its memory
 * is not counted in the agent's RSS. Several HTTP clients send the same OTLP
 * protobuf request open-loop at a fixed total rate (like many SDKs that keep
 * exporting whatever the agent answers); a client whose sockets are all busy
 * skips its turn rather than queueing without bound.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

interface Config {
  url: string;
  payloadFile: string;
  clients: number;
  socketsPerClient: number;
  bytesPerSecond: number;
  durationMs: number;
}

export interface ClientReport {
  sent: number;
  skipped: number;
  statuses: Record<string, number>;
  errors: number;
  errorCodes: Record<string, number>;
  sentBytes: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const payload = readFileSync(config.payloadFile);
const report: ClientReport = { sent: 0, skipped: 0, statuses: {}, errors: 0, errorCodes: {}, sentBytes: 0 };
const perClientIntervalMs = (payload.length * config.clients * 1000) / config.bytesPerSecond;

function runClient(): Promise<void> {
  // Free sockets close before the server's 5 s keep-alive timeout, avoiding the reuse race (ECONNRESET).
  const agent = new Agent({ keepAlive: true, maxSockets: config.socketsPerClient, timeout: 4000 });
  let outstanding = 0;
  const end = Date.now() + config.durationMs;
  return new Promise((resolve) => {
    let next = Date.now();
    const tick = (): void => {
      const now = Date.now();
      while (next <= now && now < end) {
        next += perClientIntervalMs;
        if (outstanding >= config.socketsPerClient) {
          report.skipped++;
          continue;
        }
        outstanding++;
        report.sent++;
        report.sentBytes += payload.length;
        const req = request(
          config.url,
          { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf' } },
          (res) => {
            res.resume();
            res.on('end', () => {
              outstanding--;
              const key = String(res.statusCode);
              report.statuses[key] = (report.statuses[key] ?? 0) + 1;
            });
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => {
          outstanding--;
          report.errors++;
          const code = e.code ?? e.message;
          report.errorCodes[code] = (report.errorCodes[code] ?? 0) + 1;
        });
        req.end(payload);
      }
      if (Date.now() < end) setTimeout(tick, Math.max(0, Math.min(5, next - Date.now())));
      else {
        const wait = (): void => {
          if (outstanding === 0) {
            agent.destroy();
            resolve();
          } else setTimeout(wait, 20);
        };
        wait();
      }
    };
    tick();
  });
}

await Promise.all(Array.from({ length: config.clients }, () => runClient()));
process.send?.(report);
process.disconnect?.();
