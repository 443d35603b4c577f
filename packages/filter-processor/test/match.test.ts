import { filterItems, type Batch } from '@otlp-kafka/pdata';
import { describe, expect, it } from 'vitest';
import {
  createItemMatcher,
  matchPropertiesConfig,
  toMatchProperties,
  type IncludeExclude,
} from '../src/index.js';
import { logs, metrics, names, traces } from './helpers.js';

const keep = (batch: Batch, props: IncludeExclude): string[] =>
  names(filterItems(batch, createItemMatcher(batch.signal, props)).unwrap());

const spans = traces(
  [
    { 'service.name': { stringValue: 'cart' } },
    'http',
    [
      { name: 'GET /healthz', kind: 2, attrs: { 'http.route': { stringValue: '/healthz' } } },
      {
        name: 'GET /cart',
        kind: 2,
        attrs: { 'http.route': { stringValue: '/cart' }, 'http.status_code': { intValue: 500n } },
      },
    ],
  ],
  [
    { 'service.name': { stringValue: 'db' } },
    'pg',
    [{ name: 'SELECT', kind: 3, attrs: { 'db.system': { stringValue: 'postgresql' } } }],
  ],
);

describe('createItemMatcher', () => {
  it('strict names, kinds, services, libraries and attributes; every property must match', () => {
    expect(keep(spans, { include: { matchType: 'strict', spanNames: ['GET /cart', 'SELECT'] } })).toEqual([
      'GET /cart',
      'SELECT',
    ]);
    expect(keep(spans, { exclude: { matchType: 'strict', spanKinds: ['SPAN_KIND_SERVER'] } })).toEqual([
      'SELECT',
    ]);
    expect(keep(spans, { include: { matchType: 'strict', spanKinds: ['client'] } })).toEqual(['SELECT']);
    expect(
      keep(spans, {
        include: { matchType: 'strict', services: ['cart'], libraries: [{ name: 'http', version: '1.0' }] },
      }),
    ).toEqual(['GET /healthz', 'GET /cart']);
    expect(
      keep(spans, {
        include: { matchType: 'strict', attributes: [{ key: 'http.status_code', value: 500 }] },
      }),
    ).toEqual(['GET /cart']);
    expect(keep(spans, { include: { matchType: 'strict', attributes: [{ key: 'db.system' }] } })).toEqual([
      'SELECT',
    ]);
    expect(
      keep(spans, { include: { matchType: 'strict', services: ['cart'], spanNames: ['SELECT'] } }),
    ).toEqual([]);
    expect(
      keep(spans, { include: { matchType: 'strict', resources: [{ key: 'service.name', value: 'db' }] } }),
    ).toEqual(['SELECT']);
  });

  it('regexp names and values; include and exclude together', () => {
    expect(
      keep(spans, {
        include: { matchType: 'regexp', spanNames: ['^GET '] },
        exclude: { matchType: 'regexp', attributes: [{ key: 'http.route', value: 'health' }] },
      }),
    ).toEqual(['GET /cart']);
  });

  it('log bodies, severity texts and severity numbers (match_undefined)', () => {
    const batch = logs({}, [
      { body: 'debug noise', severity: 5, text: 'DEBUG' },
      { body: 'disk full', severity: 17, text: 'ERROR' },
      { body: 'no level' },
    ]);
    expect(keep(batch, { include: { matchType: 'strict', logSeverityNumber: { min: 'WARN' } } })).toEqual([
      'disk full',
    ]);
    expect(
      keep(batch, { include: { matchType: 'strict', logSeverityNumber: { min: 9, matchUndefined: true } } }),
    ).toEqual(['disk full', 'no level']);
    expect(keep(batch, { exclude: { matchType: 'regexp', logBodies: ['noise$'] } })).toEqual([
      'disk full',
      'no level',
    ]);
    expect(keep(batch, { include: { matchType: 'strict', logSeverityTexts: ['DEBUG'] } })).toEqual([
      'debug noise',
    ]);
  });

  it('metric names and data point attributes', () => {
    const batch = metrics({}, [
      ['http.requests', [{ route: { stringValue: '/a' } }, { route: { stringValue: '/healthz' } }]],
      ['process.cpu', [{}]],
    ]);
    expect(keep(batch, { include: { matchType: 'regexp', metricNames: ['^http\\.'] } })).toEqual([
      'http.requests',
      'http.requests',
    ]);
    expect(
      keep(batch, { exclude: { matchType: 'strict', attributes: [{ key: 'route', value: '/healthz' }] } }),
    ).toEqual(['http.requests', 'process.cpu']);
  });

  it('refuses bad properties at construction, naming them', () => {
    expect(() =>
      createItemMatcher('traces', { include: { matchType: 'regexp', spanNames: ['('] } }, 'filter'),
    ).toThrow(/filter: include: span_names: invalid regular expression "\("/);
    expect(() =>
      createItemMatcher('traces', { include: { matchType: 'strict', spanKinds: ['sideways'] } }),
    ).toThrow(/unknown span kind "sideways"/);
    expect(() =>
      createItemMatcher('logs', { include: { matchType: 'strict', logSeverityNumber: { min: 'LOUD' } } }),
    ).toThrow(/unknown severity "LOUD"/);
    expect(() => createItemMatcher('logs', { include: { matchType: 'exact' as never } })).toThrow(
      /matchType must be "strict" or "regexp"/,
    );
  });

  it('maps the Collector keys, with resource_attributes and record_attributes as aliases', () => {
    const c = matchPropertiesConfig.parse({
      match_type: 'strict',
      span_names: ['a'],
      resource_attributes: [{ key: 'k', value: 'v' }],
      record_attributes: [{ key: 'r' }],
      log_severity_number: { min: 'INFO', match_undefined: true },
    });
    expect(toMatchProperties(c)).toEqual({
      matchType: 'strict',
      spanNames: ['a'],
      resources: [{ key: 'k', value: 'v' }],
      attributes: [{ key: 'r' }],
      logSeverityNumber: { min: 'INFO', matchUndefined: true },
    });
    expect(
      matchPropertiesConfig.safeParse({ match_type: 'strict', spanNames: ['a'] }).error?.issues[0],
    ).toMatchObject({ code: 'unrecognized_keys', keys: ['spanNames'] });
  });
});
