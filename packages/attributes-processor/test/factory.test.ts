import { noopLogger } from '@otlp-kafka/core';
import { describe, expect, it } from 'vitest';
import { attributesProcessorFactory } from '../src/index.js';
import { toOptions } from '../src/internal/config-schema.js';

const context = { id: 'attributes/scrub', signals: ['traces'] as const, logger: noopLogger, env: {} };

describe('attributesProcessorFactory', () => {
  it('is the `attributes` processor', () => {
    expect([attributesProcessorFactory.kind, attributesProcessorFactory.type]).toEqual([
      'processor',
      'attributes',
    ]);
  });

  it('maps the Collector keys to options', () => {
    const config = attributesProcessorFactory.configSchema.parse({
      actions: [
        { key: 'copy', action: 'UPSERT', from_attribute: 'orig' },
        { key: 'tenant', action: 'insert', from_context: 'metadata.x-tenant' },
        { key: 'code', action: 'convert', converted_type: 'int' },
        { action: 'delete', pattern: '^secret' },
        { key: 'n', action: 'insert', value: 3 },
        { key: 'd', action: 'insert', value: 1.5 },
        { key: 'list', action: 'insert', value: ['a', 2, { k: true }] },
      ],
      include: { match_type: 'strict', span_names: ['GET /cart'] },
      exclude: { match_type: 'regexp', resource_attributes: [{ key: 'env', value: '^dev' }] },
    });
    expect(toOptions(config)).toEqual({
      actions: [
        { key: 'copy', action: 'upsert', fromAttribute: 'orig' },
        { key: 'tenant', action: 'insert', fromContext: 'metadata.x-tenant' },
        { key: 'code', action: 'convert', convertedType: 'int' },
        { action: 'delete', pattern: '^secret' },
        { key: 'n', action: 'insert', value: 3 },
        { key: 'd', action: 'insert', value: 1.5 },
        {
          key: 'list',
          action: 'insert',
          value: {
            arrayValue: {
              values: [
                { stringValue: 'a' },
                { intValue: 2n },
                { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } },
              ],
            },
          },
        },
      ],
      include: { matchType: 'strict', spanNames: ['GET /cart'] },
      exclude: { matchType: 'regexp', resources: [{ key: 'env', value: '^dev' }] },
    });
    expect(typeof attributesProcessorFactory.create(config, context)).toBe('function');
  });

  it('refuses the camelCase spelling in YAML, naming the key', () => {
    const r = attributesProcessorFactory.configSchema.safeParse({
      actions: [{ key: 'a', action: 'upsert', fromAttribute: 'b' }],
    });
    expect(r.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['fromAttribute'],
      path: ['actions', 0],
    });
  });

  it('refuses an unknown converted_type and a missing match_type', () => {
    expect(
      attributesProcessorFactory.configSchema.safeParse({
        actions: [{ key: 'a', action: 'convert', converted_type: 'bool' }],
      }).error?.issues[0]?.path,
    ).toEqual(['actions', 0, 'converted_type']);
    expect(
      attributesProcessorFactory.configSchema.safeParse({
        actions: [{ key: 'a', action: 'delete' }],
        include: { services: ['x'] },
      }).error?.issues[0]?.path,
    ).toEqual(['include', 'match_type']);
  });

  it('reports a missing value source as an option error of the processor', () => {
    const config = attributesProcessorFactory.configSchema.parse({
      actions: [{ key: 'env', action: 'insert' }],
    });
    expect(() => attributesProcessorFactory.create(config, context)).toThrow(
      /actions\.0\.value: insert of "env" needs value, fromAttribute or fromContext/,
    );
  });
});
