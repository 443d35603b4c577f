import { Err, Ok, type Result } from 'ts-results-es';
import { PdataError } from '../errors.js';
import { asPdataError, decodeRequestOrThrow, encodeRequest, toInt64 } from '../codec/request.js';
import { RESPONSE_NAMES } from '../codec/response.js';
import type {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportResponse,
  ExportTraceServiceRequest,
  RequestOf,
} from '../model.js';
import type { Signal } from '../signal.js';
import { metricsRequestFromJson } from './read-metrics.js';
import { logsRequestFromJson, traceRequestFromJson } from './read-traces-logs.js';
import { JsonPath, asObject, camel, int64, str } from './values.js';
import { logsRequestToJson, metricsRequestToJson, traceRequestToJson } from './write.js';

/** OTLP/JSON text of a request (hex ids, 64-bit integers as strings, defaults left out). */
export function requestToJson<S extends Signal>(signal: S, request: RequestOf<S>): string {
  switch (signal) {
    case 'traces':
      return traceRequestToJson(request as ExportTraceServiceRequest);
    case 'metrics':
      return metricsRequestToJson(request as ExportMetricsServiceRequest);
    case 'logs':
      return logsRequestToJson(request as ExportLogsServiceRequest);
    default:
      throw new PdataError('ERR_PDATA_INVALID', `unknown signal ${String(signal)}`);
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new PdataError('ERR_PDATA_JSON', `invalid JSON: ${(e as Error).message}`, -1, '$', { cause: e });
  }
}

function fromJsonOrThrow<S extends Signal>(signal: S, text: string): RequestOf<S> {
  const value = parse(text);
  const p = new JsonPath();
  switch (signal) {
    case 'traces':
      return traceRequestFromJson(p, value) as RequestOf<S>;
    case 'metrics':
      return metricsRequestFromJson(p, value) as RequestOf<S>;
    case 'logs':
      return logsRequestFromJson(p, value) as RequestOf<S>;
    default:
      throw new PdataError('ERR_PDATA_INVALID', `unknown signal ${String(signal)}`);
  }
}

/**
 * Parses OTLP/JSON. Accepts lowerCamelCase and snake_case keys, 64-bit
 * integers as strings or numbers, enums as integers or names, null as the
 * default; unknown keys are ignored. Errors name the JSON path. Never throws.
 */
export function requestFromJson<S extends Signal>(signal: S, text: string): Result<RequestOf<S>, PdataError> {
  try {
    return Ok(fromJsonOrThrow(signal, text));
  } catch (e) {
    return Err(asPdataError(e));
  }
}

/** Protobuf request bytes to OTLP/JSON text. */
export function protoToJson(signal: Signal, bytes: Uint8Array): Result<string, PdataError> {
  try {
    return Ok(requestToJson(signal, decodeRequestOrThrow(signal, bytes)));
  } catch (e) {
    return Err(asPdataError(e));
  }
}

/** OTLP/JSON text to protobuf request bytes. */
export function jsonToProto(signal: Signal, text: string): Result<Uint8Array, PdataError> {
  try {
    return Ok(encodeRequest(signal, fromJsonOrThrow(signal, text)));
  } catch (e) {
    return Err(asPdataError(e));
  }
}

/** OTLP/JSON Export*ServiceResponse: `{}` on full success, else `{"partialSuccess":{...}}`. */
export function exportResponseToJson(
  signal: Signal,
  response: { rejectedItems?: number | bigint; errorMessage?: string } = {},
): string {
  const names = RESPONSE_NAMES[signal];
  const rejected = toInt64(response.rejectedItems);
  const message = response.errorMessage ?? '';
  if (rejected === 0n && message === '') return '{}';
  const parts: string[] = [];
  if (rejected !== 0n) parts.push(`"${names.rejectedJson}":"${rejected}"`);
  if (message !== '') parts.push(`"errorMessage":${JSON.stringify(message)}`);
  return `{"partialSuccess":{${parts.join(',')}}}`;
}

/** Parses an OTLP/JSON Export*ServiceResponse. An empty body counts as `{}`. Never throws. */
export function exportResponseFromJson(signal: Signal, text: string): Result<ExportResponse, PdataError> {
  const names = RESPONSE_NAMES[signal];
  try {
    if (text.trim() === '') return Ok({ rejectedItems: 0, errorMessage: '' });
    const p = new JsonPath();
    const top = asObject(p, parse(text));
    let rejected = 0n;
    let errorMessage = '';
    for (const k in top) {
      if (camel(k) !== 'partialSuccess' || top[k] === null) continue;
      p.parts.push(k);
      const ps = asObject(p, top[k]);
      for (const pk in ps) {
        p.parts.push(pk);
        const ck = camel(pk);
        if (ck === names.rejectedJson) rejected = int64(p, ps[pk]);
        else if (ck === 'errorMessage') errorMessage = str(p, ps[pk]);
        p.parts.pop();
      }
      p.parts.pop();
    }
    return Ok({ rejectedItems: Number(rejected), errorMessage });
  } catch (e) {
    return Err(asPdataError(e));
  }
}
