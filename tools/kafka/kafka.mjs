#!/usr/bin/env node
// npm run kafka -- start [--brokers N] [--base-port P] [--secure] | stop | status | reset | kill <id> | restart <id>
import { parseArgs } from 'node:util';
import {
  DEFAULT_BASE_PORT,
  DEFAULT_SECURE_BASE_PORT,
  HarnessError,
  clusterStatus,
  killNode,
  resetCluster,
  restartNode,
  startCluster,
  stopCluster,
} from './harness.mjs';
import { metadataBrokerIds } from './lib/probe.mjs';

const USAGE = `usage: npm run kafka -- <command> [options]

commands:
  start [--brokers N]   format (first time) and start N combined broker+controller
                        KRaft nodes (default 1), wait until all are registered,
                        print the bootstrap servers
  stop                  stop all nodes (SIGTERM, SIGKILL after 20 s); data is kept
  status                nodes, pids, ports, registered brokers
  reset                 stop and delete all data and logs of the cluster
  kill <id>             SIGKILL one node (simulated crash)
  restart <id>          stop (if running) and start one node, wait until registered

options:
  --brokers N           number of nodes for start (1..9)
  --base-port P         broker port of node 0 (default ${DEFAULT_BASE_PORT}); node i listens
                        on P+i, its controller on P+100+i
  --timeout-ms MS       how long start/restart wait for the cluster (default 60000)
  --secure              a separate secure cluster (default base port ${DEFAULT_SECURE_BASE_PORT}): besides
                        PLAINTEXT on P+i, SASL_SSL (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN)
                        on P+10+i and SSL with required client certificates on P+20+i;
                        a CA, certificates and users are generated when it is formatted
                        (needs openssl); start and status print them. Give --secure to
                        stop/status/reset too (or the same --base-port)
`;

/** What a client needs for the secure listeners, as printed by start and status. */
function printSecurity(security) {
  if (!security) return;
  console.error(`  SASL_SSL brokers: ${security.saslSslBrokers}`);
  console.error(`  SSL (mTLS) brokers: ${security.sslBrokers}`);
  console.error(`  CA: ${security.caFile}`);
  console.error(`  client certificate: ${security.clientCertFile} key: ${security.clientKeyFile}`);
  for (const [mechanism, u] of Object.entries(security.users))
    console.error(`  ${mechanism}: username ${u.username} password ${u.password}`);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      brokers: { type: 'string', default: '1' },
      'base-port': { type: 'string' },
      secure: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '60000' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  const secure = values.secure === true;
  const basePort = Number(values['base-port'] ?? (secure ? DEFAULT_SECURE_BASE_PORT : DEFAULT_BASE_PORT));
  const timeoutMs = Number(values['timeout-ms']);
  const log = (msg) => console.error(`kafka: ${msg}`);
  const nodeId = () => {
    const id = Number(arg);
    if (arg === undefined || !Number.isInteger(id))
      throw new HarnessError(`${command} needs a node id\n\n${USAGE}`);
    return id;
  };
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  switch (command) {
    case 'start': {
      const res = await startCluster({
        nodes: Number(values.brokers),
        basePort,
        timeoutMs,
        owner: 'cli',
        secure,
        log,
      });
      log(
        `${res.reused ? 'already running' : `started ${res.nodes} node(s) in ${(res.startupMs / 1000).toFixed(1)} s`}; bootstrap servers:`,
      );
      console.log(res.brokers);
      printSecurity(res.security);
      return;
    }
    case 'stop': {
      const { stopped } = await stopCluster({ basePort });
      log(stopped.length ? `stopped node(s) ${stopped.join(', ')}` : 'nothing running');
      return;
    }
    case 'reset': {
      await resetCluster({ basePort });
      log(`cluster at base port ${basePort} stopped and deleted`);
      return;
    }
    case 'status': {
      const s = clusterStatus({ basePort });
      if (!s.exists) {
        console.log(`no cluster at base port ${basePort} (npm run kafka -- start)`);
        process.exitCode = 3;
        return;
      }
      console.log(
        `cluster ${s.clusterId} (Kafka ${s.kafkaVersion}, started by ${s.owner}${s.secure ? ', secure' : ''}) bootstrap ${s.brokers}`,
      );
      printSecurity(s.security);
      for (const n of s.nodes) {
        console.log(
          `  node ${n.id}: ${n.pid ? `running pid ${n.pid}` : 'stopped'}  broker 127.0.0.1:${n.brokerPort}  controller 127.0.0.1:${n.controllerPort}  log ${n.log}`,
        );
      }
      if (s.running) {
        try {
          const ids = await metadataBrokerIds(
            s.nodes
              .filter((n) => n.pid)
              .map((n) => `127.0.0.1:${n.brokerPort}`)
              .join(','),
            5000,
          );
          console.log(`  registered brokers: [${ids.join(', ')}]`);
        } catch (err) {
          console.log(`  metadata request failed: ${err.message}`);
        }
      }
      if (!s.allRunning) process.exitCode = 3;
      return;
    }
    case 'kill':
      await killNode({ basePort, id: nodeId() });
      log(`node ${arg} killed (SIGKILL)`);
      return;
    case 'restart':
      await restartNode({ basePort, id: nodeId(), timeoutMs });
      log(`node ${arg} restarted and registered`);
      return;
    default:
      throw new HarnessError(`unknown command ${command}\n\n${USAGE}`);
  }
}

main().then(
  () => process.exit(),
  (err) => {
    console.error(`kafka: ${err instanceof HarnessError ? err.message : err.stack}`);
    process.exit(1);
  },
);
