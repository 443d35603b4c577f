import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { Encoded } from './bridge.js';

// The SDK's own OTLP serialisers: the bytes are what its OTLP/protobuf exporters would send.

export function encodeSpans(spans: ReadableSpan[]): Encoded {
  return { bytes: ProtobufTraceSerializer.serializeRequest(spans), itemCount: spans.length };
}

export function encodeLogs(logs: ReadableLogRecord[]): Encoded {
  return { bytes: ProtobufLogsSerializer.serializeRequest(logs), itemCount: logs.length };
}

export function encodeMetrics(metrics: ResourceMetrics): Encoded {
  let points = 0;
  for (const scope of metrics.scopeMetrics) for (const m of scope.metrics) points += m.dataPoints.length;
  return { bytes: ProtobufMetricsSerializer.serializeRequest(metrics), itemCount: points };
}
