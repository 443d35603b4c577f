// @otlp-kafka/testkit: fakes and helpers for testing otlp-kafka pipelines (public API).
// Explicit named exports only.
