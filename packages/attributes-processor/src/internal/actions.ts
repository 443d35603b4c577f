import type { AnyValue, AttributeValue, BatchMetadata, Item } from '@otlp-kafka/pdata';
import type { AttributeAction } from '../options.js';
import { convertValue, hashValue, toRegExp, type ConvertedType } from './values.js';

/** Per batch: the values of the from_context actions, by action index (undefined: absent, the action is skipped). */
export type ContextValues = readonly (string | undefined)[];

/** One compiled action: edits one item. */
type Step = (item: Item, context: ContextValues) => void;

export interface CompiledActions {
  /** Applies every action, in order, to one item. */
  readonly apply: (item: Item, context: ContextValues) => void;
  /** The from_context values of a batch, read once per batch; empty when no action takes one. */
  readonly contextOf: (metadata: BatchMetadata) => ContextValues;
}

/** A problem in one action, found while compiling it (a bad regular expression). */
export class ActionError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const NO_CONTEXT: ContextValues = [];
/** Bounds the memo of key -> pattern test, per action: keys repeat across items, the set of keys is usually small. */
const KEY_MEMO_LIMIT = 4096;

/** Compiles validated actions once: regular expressions, value sources, header names. Throws ActionError. */
export function compileActions(actions: readonly AttributeAction[]): CompiledActions {
  const headers: (string | undefined)[] = actions.map((a) =>
    a.fromContext === undefined ? undefined : a.fromContext.slice('metadata.'.length).toLowerCase(),
  );
  const steps = actions.map((a, i) => compileOne(a, i));
  const withContext = headers.some((h) => h !== undefined);
  const apply =
    steps.length === 1
      ? steps[0]!
      : (item: Item, context: ContextValues) => {
          for (const step of steps) step(item, context);
        };
  return {
    apply,
    contextOf: withContext
      ? (metadata) => headers.map((h) => (h === undefined ? undefined : metadata.headers?.[h]?.[0]))
      : () => NO_CONTEXT,
  };
}

function compileOne(a: AttributeAction, i: number): Step {
  const key = a.key;
  switch (a.action) {
    case 'insert':
    case 'update':
    case 'upsert': {
      const source = valueSource(a, i);
      const k = key!;
      if (a.action === 'insert')
        return (item, ctx) => {
          if (item.hasAttribute(k)) return;
          const v = source(item, ctx);
          if (v !== undefined) item.setAttribute(k, v);
        };
      if (a.action === 'update')
        return (item, ctx) => {
          if (!item.hasAttribute(k)) return;
          const v = source(item, ctx);
          if (v !== undefined) item.setAttribute(k, v);
        };
      return (item, ctx) => {
        const v = source(item, ctx);
        if (v !== undefined) item.setAttribute(k, v);
      };
    }
    case 'delete': {
      const matches = a.pattern === undefined ? undefined : keyMatcher(a.pattern, i);
      if (!matches) return (item) => item.removeAttribute(key!);
      return (item) => {
        if (key !== undefined) item.removeAttribute(key);
        for (const kv of item.attributes()) if (matches(kv.key)) item.removeAttribute(kv.key);
      };
    }
    case 'hash': {
      const matches = a.pattern === undefined ? undefined : keyMatcher(a.pattern, i);
      const hash = (item: Item, k: string, v: AnyValue | undefined) => {
        if (v === undefined) return;
        const h = hashValue(v);
        if (h !== undefined) item.setAttribute(k, h);
      };
      if (!matches) return (item) => hash(item, key!, item.attribute(key!));
      return (item) => {
        if (key !== undefined) hash(item, key, item.attribute(key));
        for (const kv of item.attributes())
          if (kv.key !== key && matches(kv.key)) hash(item, kv.key, kv.value);
      };
    }
    case 'extract': {
      const { re, names } = extractPattern(a.pattern!, i);
      const k = key!;
      return (item) => {
        const s = item.attribute(k)?.stringValue;
        if (s === undefined) return;
        const m = re.exec(s);
        if (m === null) return;
        for (const name of names) item.setAttribute(name, m.groups?.[name] ?? '');
      };
    }
    case 'convert': {
      const to: ConvertedType = a.convertedType!;
      const k = key!;
      return (item) => {
        const v = item.attribute(k);
        if (v === undefined) return;
        const converted = convertValue(v, to);
        if (converted !== undefined) item.setAttribute(k, converted);
      };
    }
  }
}

type Source = (item: Item, ctx: ContextValues) => AttributeValue | AnyValue | undefined;

function valueSource(a: AttributeAction, i: number): Source {
  if (a.value !== undefined) {
    const v = a.value;
    return () => v;
  }
  if (a.fromAttribute !== undefined) {
    const from = a.fromAttribute;
    return (item) => item.attribute(from);
  }
  return (_item, ctx) => ctx[i];
}

function compile(pattern: string, i: number): RegExp {
  try {
    return toRegExp(pattern);
  } catch (e) {
    throw new ActionError(
      `actions.${i}.pattern`,
      `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`,
    );
  }
}

/** A test of attribute keys against a pattern, memoised per key (bounded). */
function keyMatcher(pattern: string, i: number): (key: string) => boolean {
  const re = compile(pattern, i);
  const memo = new Map<string, boolean>();
  return (key) => {
    let hit = memo.get(key);
    if (hit === undefined) {
      hit = re.test(key);
      if (memo.size >= KEY_MEMO_LIMIT) memo.clear();
      memo.set(key, hit);
    }
    return hit;
  };
}

/** extract's pattern: at least one group, every group named (as the Collector). */
function extractPattern(pattern: string, i: number): { re: RegExp; names: string[] } {
  const re = compile(pattern, i);
  // An alternative that matches the empty string reveals every group.
  const probe = new RegExp(`(?:${re.source})|`, re.flags).exec('')!;
  const groups = probe.length - 1;
  const names = Object.keys(probe.groups ?? {});
  const path = `actions.${i}.pattern`;
  if (names.length === 0)
    throw new ActionError(
      path,
      `extract pattern ${JSON.stringify(pattern)} has no named groups ((?<name>...))`,
    );
  if (names.length !== groups)
    throw new ActionError(
      path,
      `extract pattern ${JSON.stringify(pattern)} has an unnamed group: every group must be named (use (?:...) to group without capturing)`,
    );
  return { re, names };
}
