import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTES_PROCESSOR_DEFAULTS,
  createAttributesProcessor,
  type AttributesProcessorOptions,
} from '../src/index.js';

const create = (options: unknown) => () => createAttributesProcessor(options as AttributesProcessorOptions);

describe('attributes processor options', () => {
  it('has its defaults in one place', () => {
    expect(ATTRIBUTES_PROCESSOR_DEFAULTS).toEqual({ name: 'attributes', shutdownTimeoutMs: 5000 });
  });

  it.each([
    [{}, /actions: Invalid input: expected array/],
    [{ actions: [] }, /actions: at least one action is required/],
    [{ actions: [{ key: 'a', action: 'rename', value: 1 }] }, /actions\.0\.action: Invalid option/],
    [{ actions: [{ key: '', action: 'delete' }] }, /actions\.0\.key: must be a non-empty string/],
    [{ actions: [{ action: 'upsert', value: 1 }] }, /actions\.0\.key: upsert needs key/],
    [{ actions: [{ action: 'delete' }] }, /actions\.0\.key: delete needs key or pattern \(or both\)/],
    [
      { actions: [{ key: 'a', action: 'insert' }] },
      /actions\.0\.value: insert of "a" needs value, fromAttribute or fromContext/,
    ],
    [
      { actions: [{ key: 'a', action: 'update', value: 1, fromAttribute: 'b' }] },
      /actions\.0\.fromAttribute: update of "a" takes one of value, fromAttribute or fromContext, got value and fromAttribute/,
    ],
    [
      { actions: [{ key: 'a', action: 'upsert', value: 1, pattern: 'x' }] },
      /actions\.0\.pattern: upsert of "a" takes no pattern/,
    ],
    [
      { actions: [{ key: 'a', action: 'hash', value: 'x' }] },
      /actions\.0\.value: hash of "a" takes no value/,
    ],
    [
      { actions: [{ key: 'a', action: 'upsert', fromContext: 'auth.subject' }] },
      /actions\.0\.fromContext: upsert of "a": only "metadata.<header>" is supported as fromContext, got "auth.subject"/,
    ],
    [
      { actions: [{ key: 'a', action: 'upsert', fromContext: 'metadata.' }] },
      /only "metadata.<header>" is supported/,
    ],
    [{ actions: [{ key: 'a', action: 'extract' }] }, /actions\.0\.pattern: extract of "a" needs pattern/],
    [
      { actions: [{ key: 'a', action: 'convert' }] },
      /actions\.0\.convertedType: convert of "a" needs convertedType/,
    ],
    [
      { actions: [{ key: 'a', action: 'convert', convertedType: 'bool' }] },
      /actions\.0\.convertedType: Invalid option: expected one of "int"\|"double"\|"string"/,
    ],
    [
      { actions: [{ key: 'a', action: 'delete', convertedType: 'int' }] },
      /actions\.0\.convertedType: delete of "a" takes no convertedType/,
    ],
    [{ actions: [{ key: 'a', action: 'upsert', value: Infinity }] }, /actions\.0\.value/],
    [
      { actions: [{ key: 'a', action: 'upsert', value: 2n ** 63n }] },
      /actions\.0\.value: a bigint must be within int64/,
    ],
    [
      { actions: [{ key: 'a', action: 'upsert', value: { stringValue: 'x', intValue: 1n } }] },
      /AnyValue with one field set/,
    ],
    [
      { actions: [{ key: 'a', action: 'delete', from_attribute: 'b' }] },
      /actions\.0: Unrecognized key: "from_attribute"/,
    ],
    [{ actions: [{ key: 'a', action: 'delete' }], shutdownTimeoutMs: -1 }, /shutdownTimeoutMs/],
    [{ actions: [{ key: 'a', action: 'delete' }], include: 'x' }, /include: must be match properties/],
  ])('refuses %o at construction', (options, message) => {
    expect(create(options)).toThrow(message);
  });

  it.each([
    [{ key: 'a', action: 'delete', pattern: '(' }, /invalid regular expression "\("/],
    [{ key: 'a', action: 'extract', pattern: '^a.*$' }, /extract pattern "\^a\.\*\$" has no named groups/],
    [
      { key: 'a', action: 'extract', pattern: '^(?<x>a)(b)$' },
      /extract pattern ".*" has an unnamed group: every group must be named/,
    ],
  ])('refuses the pattern of %o at construction', (action, message) => {
    expect(create({ actions: [{ key: 'ok', action: 'delete' }, action] })).toThrow(
      new RegExp(`attributes-processor: invalid options: actions\\.1\\.pattern: ${message.source}`),
    );
  });

  it('refuses bad match properties at construction, naming them', () => {
    expect(
      create({
        actions: [{ key: 'a', action: 'delete' }],
        include: { matchType: 'regexp', spanNames: ['('] },
      }),
    ).toThrow(/include: span_names: invalid regular expression/);
  });

  it('accepts every action shape the Collector accepts', () => {
    expect(
      create({
        actions: [
          { key: 'a', action: 'insert', value: 'x' },
          { key: 'a', action: 'update', fromAttribute: 'b' },
          { key: 'a', action: 'upsert', fromContext: 'metadata.tenant' },
          { key: 'a', action: 'delete' },
          { action: 'delete', pattern: '^x' },
          { key: 'a', action: 'hash', pattern: '^x' },
          { key: 'a', action: 'extract', pattern: '(?P<first>\\w+) (?<second>\\w+)' },
          { key: 'a', action: 'convert', convertedType: 'double' },
        ],
        include: { matchType: 'strict', services: ['checkout'] },
        exclude: { matchType: 'regexp', attributes: [{ key: 'x', value: '^y' }] },
        name: 'scrub',
        shutdownTimeoutMs: 0,
      }),
    ).not.toThrow();
  });
});
