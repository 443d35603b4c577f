import { describe, expect, it, vi } from 'vitest';
import { ok, parseOptions, PipelineError } from '@otlp-kafka/core';
import { KafkaReceiverImpl } from '../../src/internal/kafka-receiver.js';
import { optionsSchema } from '../../src/options.js';
import { FakeDeadLetter, FakeKafka } from '../helpers/fake-kafka.js';
import { stderrLogger } from '../../src/internal/default-logger.js';
import { createLogThrottle } from '../../src/internal/log-throttle.js';

describe('stderrLogger', () => {
  it('writes warn and error lines, drops debug and info, and rate-limits each message', () => {
    const lines: string[] = [];
    let now = 0;
    const logger = stderrLogger('kafka-consumer-receiver', {
      write: (l) => lines.push(l),
      throttle: createLogThrottle(2, 1000, () => now),
      now: () => new Date(0),
    });
    logger.debug('d');
    logger.info({ a: 1 }, 'i');
    logger.warn(
      { topic: 't', err: new PipelineError('ERR_UNAVAILABLE', 'down'), value: Buffer.alloc(3) },
      'w',
    );
    logger.error('plain');
    expect(lines).toEqual([
      '1970-01-01T00:00:00.000Z WARN [@otlp-kafka/kafka-consumer-receiver] w {"topic":"t","err":{"name":"PipelineError","code":"ERR_UNAVAILABLE","message":"down"},"value":"<3 bytes>"}\n',
      '1970-01-01T00:00:00.000Z ERROR [@otlp-kafka/kafka-consumer-receiver] plain\n',
    ]);
    lines.length = 0;
    for (let i = 0; i < 5; i++) logger.error({ i }, 'again');
    expect(lines).toHaveLength(2);
    now = 1000;
    logger.error({ i: 9 }, 'again');
    expect(lines[2]).toMatch(/again \{"i":9,"suppressed":3\}\n$/);
  });

  it('is what a receiver logs with when no logger is given', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const kafka = new FakeKafka();
      const receiver = new KafkaReceiverImpl(
        parseOptions('test', optionsSchema, { traces: { topics: ['a'] }, logs: { topics: ['b'] } }),
        {},
        { consumerFactory: kafka.factory(), deadLetterFactory: new FakeDeadLetter().factory() },
      );
      receiver.connect('traces', () => ok());
      await receiver.start();
      await receiver.shutdown();
    } finally {
      spy.mockRestore();
    }
    const warn = /WARN \[@otlp-kafka\/kafka-consumer-receiver\] signals configured but not connected/;
    expect(written.filter((l) => warn.test(l))).toHaveLength(1);
    expect(written.some((l) => l.includes('kafka receiver started'))).toBe(false); // info: dropped
  });
});
