// server.properties for one combined broker+controller KRaft node.
import { join } from 'node:path';
import { brokerPort, controllerPort, nodeDir } from './paths.mjs';
import { secureProperties } from './security.mjs';

/**
 * @param {{ basePort: number, nodes: number, id: number, credentials?: object }} c
 * With `credentials` (secure mode, see security.mjs) the node also gets a SASL_SSL and an
 * mTLS listener; the PLAINTEXT listener stays for the harness's probe, admin and the brokers.
 * Replication follows the cluster size: 3+ nodes get RF 3 / min ISR 2 (so one node may
 * die without losing acks=all writes), smaller clusters what they can hold.
 */
export function serverProperties({ basePort, nodes, id, credentials }) {
  const rf = Math.min(3, nodes);
  const minIsr = rf >= 3 ? 2 : 1;
  const voters = Array.from(
    { length: nodes },
    (_, i) => `${i}@127.0.0.1:${controllerPort(basePort, i)}`,
  ).join(',');
  const dir = nodeDir(basePort, id);
  const secure = credentials ? secureProperties({ basePort, id, credentials }) : undefined;
  const plainListener = `PLAINTEXT://127.0.0.1:${brokerPort(basePort, id)}`;
  const props = {
    'process.roles': 'broker,controller',
    'node.id': id,
    'controller.quorum.voters': voters,
    listeners: [
      ...(secure?.listeners ?? [plainListener]),
      `CONTROLLER://127.0.0.1:${controllerPort(basePort, id)}`,
    ].join(','),
    'advertised.listeners': (secure?.advertised ?? [plainListener]).join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': [
      'PLAINTEXT:PLAINTEXT',
      'CONTROLLER:PLAINTEXT',
      ...(secure?.protocolMap ?? []),
    ].join(','),
    ...secure?.props,
    'log.dirs': join(dir, 'data'),
    'metadata.log.dir': join(dir, 'metadata'),
    // Replication and durability.
    'num.partitions': 1,
    'default.replication.factor': rf,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': rf,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': minIsr,
    'unclean.leader.election.enable': false,
    'auto.create.topics.enable': true,
    'delete.topic.enable': true,
    // Fast start and small footprint on a shared 2-core machine.
    'group.initial.rebalance.delay.ms': 0,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.num.partitions': 10,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'num.replica.fetchers': 1,
    'background.threads': 4,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
    'log.segment.bytes': 64 * 1024 * 1024,
    'log.retention.hours': 24,
    'replica.lag.time.max.ms': 10_000,
    'replica.socket.timeout.ms': 10_000,
    'controller.quorum.election.timeout.ms': 1000,
    'controller.quorum.fetch.timeout.ms': 2000,
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 6000,
  };
  return (
    Object.entries(props)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n'
  );
}
