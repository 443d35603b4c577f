// The shared snake_case blocks now live in core (component packages use them too).
export {
  section,
  tlsServerConfig as tlsServer,
  tlsClientConfig as tlsClient,
  kafkaTlsConfig as kafkaTls,
  kafkaAuthConfig as kafkaAuth,
  kafkaBrokersConfig as brokers,
  kafkaEncodingConfig as kafkaEncoding,
} from '@otlp-kafka/core';
