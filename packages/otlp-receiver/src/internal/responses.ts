import type { Signal } from '@otlp-kafka/core';
import { encodeExportResponse, encodeGrpcStatusDetails, exportResponseToJson } from '@otlp-kafka/pdata';

export type BodyFormat = 'proto' | 'json';

export const CONTENT_TYPE: Record<BodyFormat, string> = {
  proto: 'application/x-protobuf',
  json: 'application/json',
};

/** An Export*ServiceResponse, with partial_success when items were rejected. */
export function exportResponse(
  signal: Signal,
  format: BodyFormat,
  rejectedItems?: number,
  errorMessage?: string,
): Uint8Array | string {
  const partial = rejectedItems !== undefined ? { rejectedItems, errorMessage: errorMessage ?? '' } : {};
  return format === 'proto' ? encodeExportResponse(signal, partial) : exportResponseToJson(signal, partial);
}

/**
 * A google.rpc.Status, the body of every OTLP/HTTP failure, with a RetryInfo
 * detail when a delay is known. In JSON, the proto3 JSON mapping of Status.
 */
export function statusBody(
  format: BodyFormat,
  code: number,
  message: string,
  retryDelayMs?: number,
): Uint8Array | string {
  if (format === 'proto') {
    return encodeGrpcStatusDetails(
      retryDelayMs === undefined ? { code, message } : { code, message, retryDelayMs },
    );
  }
  const details =
    retryDelayMs === undefined
      ? []
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.RetryInfo',
            retryDelay: `${(retryDelayMs / 1000).toFixed(3)}s`,
          },
        ];
  return JSON.stringify(details.length ? { code, message, details } : { code, message });
}
