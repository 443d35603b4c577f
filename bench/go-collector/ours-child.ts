// Our components in a child process, so that run.ts measures their CPU from /proc/<pid>/stat
// exactly as it measures the Go Collector's. The parent sends one `start` (agent or gateway
// pipeline), then `stop`; module loading happens before `loaded`, outside any measurement.
import { createBatcher } from '@otlp-kafka/batcher';
import { createPipeline, type Pipeline } from '@otlp-kafka/core';
import { createKafkaReceiver } from '@otlp-kafka/kafka-consumer-receiver';
import { createKafkaExporter } from '@otlp-kafka/kafka-producer-exporter';
import { createOtlpExporter } from '@otlp-kafka/otlp-exporter';
import { createOtlpReceiver } from '@otlp-kafka/otlp-receiver';

export type OursCommand =
  | { readonly type: 'start-agent'; readonly brokers: string; readonly topic: string }
  | {
      readonly type: 'start-gateway';
      readonly brokers: string;
      readonly topic: string;
      readonly groupId: string;
      readonly sinkUrl: string;
    }
  | { readonly type: 'stop' };

export type OursMessage =
  | { readonly type: 'loaded' }
  | { readonly type: 'started'; readonly url?: string }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

const send = (m: OursMessage): void => {
  process.send?.(m);
};

let pipeline: Pipeline | undefined;

async function start(cmd: Exclude<OursCommand, { type: 'stop' }>): Promise<string | undefined> {
  if (cmd.type === 'start-agent') {
    // As bench/agent: every component at its defaults (batch 8192 spans / 200 ms; acks=all, idempotent, linger 5 ms).
    const receiver = createOtlpReceiver({ http: { endpoint: '127.0.0.1:0' }, grpc: false });
    const exporter = createKafkaExporter({ brokers: cmd.brokers.split(','), topic: cmd.topic });
    pipeline = createPipeline({
      pipelines: [
        { signal: 'traces', receivers: [receiver], processors: [createBatcher()], exporters: [exporter] },
      ],
    });
    await pipeline.start();
    return `${receiver.httpUrl!}/v1/traces`;
  }
  // As bench/gateway: defaults, earliest offset, OTLP/HTTP protobuf without compression.
  const receiver = createKafkaReceiver({
    brokers: cmd.brokers,
    topic: cmd.topic,
    signal: 'traces',
    groupId: cmd.groupId,
    initialOffset: 'earliest',
  });
  const exporter = createOtlpExporter({ protocol: 'http', endpoint: cmd.sinkUrl, compression: 'none' });
  pipeline = createPipeline({
    pipelines: [
      { signal: 'traces', receivers: [receiver], processors: [createBatcher()], exporters: [exporter] },
    ],
  });
  await pipeline.start();
  return undefined;
}

process.on('message', (cmd: OursCommand) => {
  const work =
    cmd.type === 'stop'
      ? (pipeline?.shutdown() ?? Promise.resolve()).then(() => ({ type: 'stopped' }) as const)
      : start(cmd).then((url) => ({ type: 'started', url }) as const);
  work.then(send, (err: unknown) =>
    send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
// The parent ends this process by disconnecting the IPC channel.
process.on('disconnect', () => process.exit(0));
send({ type: 'loaded' });
