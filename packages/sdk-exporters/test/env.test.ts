import { describe, expect, it } from 'vitest';
import { mergeKafkaOptions, settingsFromEnv } from '../src/env.js';

describe('settingsFromEnv', () => {
  it('reads the OTEL_EXPORTER_KAFKA_* variables, signal-specific timeouts first', () => {
    const s = settingsFromEnv(['traces', 'logs'], {
      OTEL_EXPORTER_KAFKA_BROKERS: ' k1:9092, k2:9092 ,',
      OTEL_EXPORTER_KAFKA_CLIENT_ID: 'checkout',
      OTEL_EXPORTER_KAFKA_COMPRESSION: 'zstd',
      OTEL_EXPORTER_KAFKA_ENCODING: 'otlp_json',
      OTEL_EXPORTER_KAFKA_TRACES_TOPIC: 'spans-a',
      OTEL_EXPORTER_KAFKA_METRICS_TOPIC: 'not-asked-for',
      OTEL_EXPORTER_KAFKA_TIMEOUT: '5000',
      OTEL_EXPORTER_KAFKA_LOGS_TIMEOUT: '2000',
    });
    expect(s.kafka).toEqual({
      brokers: ['k1:9092', 'k2:9092'],
      clientId: 'checkout',
      producer: { compression: 'zstd' },
      encoding: 'otlp_json',
      topics: { traces: 'spans-a' },
    });
    expect(s.timeoutMs).toEqual({ traces: 5000, logs: 2000 });
  });

  it('an empty environment sets nothing', () => {
    expect(settingsFromEnv(['traces'], {})).toEqual({ kafka: {}, timeoutMs: {} });
  });

  it('a malformed value is an error naming the variable', () => {
    expect(() => settingsFromEnv(['traces'], { OTEL_EXPORTER_KAFKA_COMPRESSION: 'brotli' })).toThrow(
      /OTEL_EXPORTER_KAFKA_COMPRESSION="brotli" must be one of none, gzip, snappy, lz4, zstd/,
    );
    expect(() => settingsFromEnv(['traces'], { OTEL_EXPORTER_KAFKA_TRACES_TIMEOUT: '10s' })).toThrow(
      /OTEL_EXPORTER_KAFKA_TRACES_TIMEOUT="10s" must be a positive whole number of milliseconds/,
    );
  });
});

describe('mergeKafkaOptions', () => {
  it('code wins field by field; traces are partitioned by trace id unless code says otherwise', () => {
    const merged = mergeKafkaOptions(
      {
        brokers: ['env:9092'],
        topics: { traces: 'env-spans', logs: 'env-logs' },
        producer: { compression: 'zstd' },
      },
      { topics: { traces: 'code-spans' }, producer: { lingerMs: 5 } },
    );
    expect(merged).toEqual({
      partitionTracesById: true,
      brokers: ['env:9092'],
      topics: { traces: 'code-spans', logs: 'env-logs' },
      producer: { compression: 'zstd', lingerMs: 5 },
    });
    expect(mergeKafkaOptions({}, { partitionTracesById: false }).partitionTracesById).toBe(false);
  });
});
