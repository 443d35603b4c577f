/**
 * Deterministic unique OTLP ids. Every id starts with 4 bytes derived from the
 * generator's seed and id prefix, followed by a counter, so ids never repeat
 * within a generator and differ between generators with other seeds/prefixes.
 */
export class IdSource {
  private spans = 1;
  private traces = 1;

  constructor(
    private readonly stem: number,
    /** Distinguishes the span / trace ids of spans from those put on log records. */
    private readonly tag: number,
  ) {}

  nextSpanId(): Uint8Array {
    const id = new Uint8Array(8);
    const v = new DataView(id.buffer);
    v.setUint32(0, (this.stem ^ (this.tag << 24)) >>> 0);
    v.setUint32(4, this.spans++ >>> 0);
    if (this.spans > 0xffffffff) throw new RangeError('more than 2^32 span ids from one generator');
    return id;
  }

  nextTraceId(): Uint8Array {
    const id = new Uint8Array(16);
    const v = new DataView(id.buffer);
    v.setUint32(0, this.stem);
    v.setUint32(4, this.tag);
    v.setBigUint64(8, BigInt(this.traces++));
    return id;
  }
}
