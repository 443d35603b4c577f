import { parentPort } from 'node:worker_threads';
import { jsonToProto, type Signal } from '@otlp-kafka/pdata';

/** A request to the JSON conversion worker (json-convert.ts): the body's bytes, transferred. */
export interface ConvertTask {
  readonly id: number;
  readonly signal: Signal;
  readonly body: ArrayBuffer;
}

/** Its answer: the protobuf bytes (transferred), or the conversion's error. */
export type ConvertAnswer =
  | { readonly id: number; readonly ok: true; readonly bytes: ArrayBuffer }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };

/**
 * The OTLP/JSON conversion off the receiver's event loop: JSON.parse and the
 * conversion of a large request take about a second per 11 MB and cannot be
 * cut into slices, so a large body is converted here, one at a time.
 */
parentPort?.on('message', (task: ConvertTask) => {
  const converted = jsonToProto(task.signal, Buffer.from(task.body).toString('utf8'));
  if (converted.isErr()) {
    const answer: ConvertAnswer = {
      id: task.id,
      ok: false,
      code: converted.error.code,
      message: converted.error.message,
    };
    parentPort!.postMessage(answer);
    return;
  }
  const v = converted.value;
  const whole = v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer;
  const bytes = whole ? (v.buffer as ArrayBuffer) : v.slice().buffer;
  const answer: ConvertAnswer = { id: task.id, ok: true, bytes };
  parentPort!.postMessage(answer, [bytes]);
});
