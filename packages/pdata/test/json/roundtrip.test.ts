import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type RequestOf,
  encodeRequest,
  jsonToProto,
  protoToJson,
  requestFromJson,
  requestToJson,
} from '../../src/index.js';
import { requests } from '../fixtures/arbitraries.js';

describe.each(['traces', 'metrics', 'logs'] as const)('OTLP/JSON round trip: %s', (signal) => {
  it('fromJson(toJson(x)) equals x, and agrees with the protobuf path', () => {
    fc.assert(
      fc.property(requests[signal] as fc.Arbitrary<RequestOf<typeof signal>>, (req) => {
        const json = requestToJson(signal, req);
        expect(() => JSON.parse(json) as unknown).not.toThrow();
        const parsed = requestFromJson(signal, json);
        expect(parsed.isOk()).toBe(true);
        expect(parsed.unwrap()).toEqual(req);
        const bytes = encodeRequest(signal, req);
        expect(protoToJson(signal, bytes).unwrap()).toBe(json);
        expect(jsonToProto(signal, json).unwrap()).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});
