import type { ItemView } from '@otlp-kafka/pdata';
import { pathGetter, type OttlContext } from './ottl-paths.js';
import { METRIC_DATA_TYPES, SEVERITY_NUMBERS, SPAN_KINDS, STATUS_CODES, type Scalar } from './values.js';

/**
 * A subset of OTTL boolean conditions, as the Collector's filter processor
 * takes them: `==`, `!=`, `<`, `<=`, `>`, `>=`, `and`, `or`, `not`,
 * parentheses, string / number / bool / nil literals, the enums
 * (SPAN_KIND_*, STATUS_CODE_*, SEVERITY_NUMBER_*, METRIC_DATA_TYPE_*), the
 * paths of each context (ottl-paths.ts) and the converters IsMatch, HasPrefix
 * and HasSuffix. Anything else is refused at construction with its position.
 */
export type Condition = (item: ItemView) => boolean;

export class OttlError extends Error {
  override readonly name = 'OttlError';
}

type Tok =
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number | bigint; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '"') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i++];
      }
      if (i >= src.length) throw new OttlError(`unterminated string at position ${at}`);
      i++;
      out.push({ t: 'str', v, at });
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' || /\d/.test(src[i + 1] ?? ''))) {
      const text = num[0];
      out.push({ t: 'num', v: /[.eE]/.test(text) ? Number(text) : BigInt(text), at });
      i += text.length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], at });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|<|>|\(|\)|\[|\]|,)/.exec(src.slice(i));
    if (!op) throw new OttlError(`unexpected ${JSON.stringify(c)} at position ${at}`);
    out.push({ t: 'op', v: op[0], at });
    i += op[0].length;
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

type Value = (item: ItemView) => Scalar;
const CMP = new Set(['==', '!=', '<', '<=', '>', '>=']);
const FUNCTIONS: Record<string, (s: string, arg: string) => boolean> = {
  HasPrefix: (s, p) => s.startsWith(p),
  HasSuffix: (s, p) => s.endsWith(p),
};

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly context: OttlContext,
  ) {}

  parse(): Condition {
    const c = this.or();
    const t = this.peek();
    if (t.t !== 'end') this.fail(t, 'expected "and", "or" or the end');
    return c;
  }

  private peek(): Tok {
    return this.toks[this.pos]!;
  }
  private next(): Tok {
    return this.toks[this.pos++]!;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v === w;
  }
  private isOp(o: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === o;
  }
  private expectOp(o: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== o) this.fail(t, `expected "${o}"`);
  }
  private fail(t: Tok, why: string): never {
    throw new OttlError(`${why} at position ${t.at}`);
  }

  private or(): Condition {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      const a = left;
      const b = this.and();
      left = (i) => a(i) || b(i);
    }
    return left;
  }

  private and(): Condition {
    let left = this.unary();
    while (this.isWord('and')) {
      this.next();
      const a = left;
      const b = this.unary();
      left = (i) => a(i) && b(i);
    }
    return left;
  }

  private unary(): Condition {
    if (this.isWord('not')) {
      this.next();
      const c = this.unary();
      return (i) => !c(i);
    }
    if (this.isOp('(')) {
      this.next();
      const c = this.or();
      this.expectOp(')');
      return c;
    }
    const left = this.value();
    const t = this.peek();
    if (t.t !== 'op' || !CMP.has(t.v)) return (i) => left(i) === true;
    this.next();
    const right = this.value();
    return comparison(t.v, left, right);
  }

  private value(): Value {
    const t = this.next();
    if (t.t === 'str' || t.t === 'num') {
      const v = t.v;
      return () => v;
    }
    if (t.t !== 'id') this.fail(t, 'expected a value');
    if (t.v === 'true' || t.v === 'false') {
      const v = t.v === 'true';
      return () => v;
    }
    if (t.v === 'nil') return () => undefined;
    const e = enumValue(t.v);
    if (e !== undefined) return () => e;
    if (this.isOp('(')) return this.call(t);
    let key: string | undefined;
    if (this.isOp('[')) {
      this.next();
      const k = this.next();
      if (k.t !== 'str') this.fail(k, 'expected a string key');
      key = k.v;
      this.expectOp(']');
      if (this.isOp('[')) this.fail(this.peek(), 'nested map keys are not supported');
    }
    const get = pathGetter(this.context, t.v, key);
    if (typeof get === 'string') this.fail(t, get);
    return get;
  }

  private call(name: Tok & { t: 'id' }): Value {
    this.expectOp('(');
    const target = this.value();
    this.expectOp(',');
    const arg = this.next();
    if (arg.t !== 'str') this.fail(arg, `${name.v} takes a string literal as its second argument`);
    this.expectOp(')');
    if (name.v === 'IsMatch') {
      let re: RegExp;
      try {
        re = new RegExp(arg.v);
      } catch (e) {
        return this.fail(arg, `invalid regular expression: ${(e as Error).message}`);
      }
      return (i) => {
        const s = target(i);
        return typeof s === 'string' && re.test(s);
      };
    }
    const f = FUNCTIONS[name.v];
    if (!f) this.fail(name, `unknown function ${name.v} (supported: IsMatch, HasPrefix, HasSuffix)`);
    const p = arg.v;
    return (i) => {
      const s = target(i);
      return typeof s === 'string' && f(s, p);
    };
  }
}

function enumValue(id: string): Scalar {
  return SPAN_KINDS.get(id) ?? STATUS_CODES.get(id) ?? SEVERITY_NUMBERS.get(id) ?? METRIC_DATA_TYPES.get(id);
}

function comparison(op: string, left: Value, right: Value): Condition {
  switch (op) {
    case '==':
      return (i) => equal(left(i), right(i));
    case '!=':
      return (i) => !equal(left(i), right(i));
    default: {
      const test: (c: number) => boolean =
        op === '<' ? (c) => c < 0 : op === '<=' ? (c) => c <= 0 : op === '>' ? (c) => c > 0 : (c) => c >= 0;
      return (i) => {
        const c = order(left(i), right(i));
        return c !== undefined && test(c);
      };
    }
  }
}

const isNumber = (v: Scalar): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

function equal(a: Scalar, b: Scalar): boolean {
  if (isNumber(a) && isNumber(b)) return order(a, b) === 0;
  return a === b;
}

/** OTTL orders numbers with numbers and strings with strings; anything else does not compare (false). */
function order(a: Scalar, b: Scalar): number | undefined {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    return Number.isNaN(x) || Number.isNaN(y) ? undefined : x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** Compiles one OTTL condition for a context; throws OttlError naming the position. */
export function compileCondition(source: string, context: OttlContext): Condition {
  return new Parser(lex(source), context).parse();
}
