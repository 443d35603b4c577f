// Where the Kafka of the current test run is: KAFKA_BROKERS, set by the vitest global
// setup (inherited by the test workers) or by the user for an external cluster.

/** Environment variable holding the bootstrap servers ("host:port,host:port"). */
export const KAFKA_BROKERS_ENV = 'KAFKA_BROKERS';

/**
 * Bootstrap servers ("host:port,...") of the Kafka the tests use. Throws when none is
 * configured: run through the vitest `integration` project (its global setup starts or
 * reuses the local harness) or set KAFKA_BROKERS.
 */
export function kafkaBrokers(): string {
  const brokers = process.env[KAFKA_BROKERS_ENV]?.trim();
  if (!brokers) {
    throw new Error(
      `${KAFKA_BROKERS_ENV} is not set: run Kafka tests with \`npx vitest run --project integration ...\` ` +
        '(its global setup provides a broker) or set KAFKA_BROKERS=host:port to use an existing cluster',
    );
  }
  return brokers;
}
