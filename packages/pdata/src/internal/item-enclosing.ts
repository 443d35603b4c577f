import { decodeResource, decodeScope } from '../codec/decode-common.js';
import type { InstrumentationScope, KeyValue } from '../model.js';
import { WIRE_LEN, WireReader } from './wire-reader.js';

/**
 * The messages enclosing the item being visited (level 1 resource-level,
 * 2 scope-level, 3 Metric), read on demand and kept until the walk moves to
 * another one: many items share a resource, so it is decoded once for them.
 * `start` / `end` are the walker's per-level payload ranges.
 */
export class Enclosing {
  private resourceAt = -1;
  private resource: KeyValue[] = [];
  private scopeAt = -1;
  private scopeInfo: InstrumentationScope | undefined;
  private metricAt = -1;
  private metric = ['', '', ''];

  constructor(
    private readonly buf: Uint8Array,
    private readonly start: readonly number[],
    private readonly end: readonly number[],
  ) {}

  resourceAttributes(): KeyValue[] {
    const start = this.start[1]!;
    if (this.resourceAt !== start) {
      this.resource = [];
      this.forFields(start, this.end[1]!, 1, 'resource', (r) => {
        this.resource.push(...decodeResource(r).attributes);
      });
      this.resourceAt = start;
    }
    return this.resource;
  }

  scope(): InstrumentationScope | undefined {
    const start = this.start[2]!;
    if (this.scopeAt !== start) {
      this.scopeInfo = undefined;
      this.forFields(start, this.end[2]!, 1, 'scope', (r) => {
        this.scopeInfo = decodeScope(r);
      });
      this.scopeAt = start;
    }
    return this.scopeInfo;
  }

  /** 0 name, 1 description, 2 unit of the enclosing Metric. */
  metricField(i: number): string {
    const start = this.start[3]!;
    if (this.metricAt !== start) {
      this.metric = ['', '', ''];
      for (let fn = 1; fn <= 3; fn++)
        this.forFields(start, this.end[3]!, fn, 'Metric', (r) => {
          this.metric[fn - 1] = r.string();
        });
      this.metricAt = start;
    }
    return this.metric[i]!;
  }

  /** Calls `fn` with the reader at the length prefix of each LEN field `field` in [start, end). */
  private forFields(
    start: number,
    end: number,
    field: number,
    name: string,
    fn: (r: WireReader) => void,
  ): void {
    const r = new WireReader(this.buf, start, end);
    while (r.pos < end) {
      r.field = name;
      const t = r.tag();
      if (t === ((field << 3) | WIRE_LEN)) {
        const at = r.pos;
        fn(r);
        r.pos = at;
        r.end = end;
      }
      r.skip(t);
    }
  }
}
