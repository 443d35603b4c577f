// What was "in flight" at a fault, read back from Kafka: every record between a
// gateway group's committed offset when the fault began and the partition's end
// once the fault was over. Only items of those records may legitimately reach the
// backend twice (replayed after a crash, or re-sent after a lost answer).
import { groupLag } from '@otlp-kafka/cli';
import type { Signal } from '@otlp-kafka/core';
import type { Names } from './configs.js';
import { SIGNALS } from './configs.js';
import { readTopic, recordIds } from './kafka-admin.js';

interface Range {
  signal: Signal;
  partition: number;
  from: number;
  to?: number;
}

export interface FaultWindows {
  /** Call just before a fault: remembers where each partition's group had committed. */
  open(): Promise<void>;
  /** Call once the fault is over and the flow settled: closes the open windows at the partitions' ends. */
  close(): Promise<void>;
  /** Ids of every item inside a window (windows still open reach the end of the partition). */
  ids(): Promise<Set<string>>;
}

export function faultWindows(brokers: string, names: Names): FaultWindows {
  const ranges: Range[] = [];
  const list = brokers.split(',');
  return {
    async open() {
      for (const signal of SIGNALS) {
        for (const r of await groupLag(list, names.groups[signal], [names.topics[signal]]))
          ranges.push({ signal, partition: r.partition, from: r.committed >= 0 ? r.committed : r.low });
      }
    },
    async close() {
      for (const signal of SIGNALS) {
        for (const r of await groupLag(list, names.groups[signal], [names.topics[signal]]))
          for (const range of ranges)
            if (range.signal === signal && range.partition === r.partition && range.to === undefined)
              range.to = r.high;
      }
    },
    async ids() {
      const out = new Set<string>();
      for (const signal of SIGNALS) {
        const mine = ranges.filter((r) => r.signal === signal);
        if (mine.length === 0) continue;
        for (const rec of await readTopic(brokers, names.topics[signal])) {
          const inside = mine.some(
            (r) =>
              r.partition === rec.partition &&
              rec.offset >= r.from &&
              (r.to === undefined || rec.offset < r.to),
          );
          if (inside) for (const id of recordIds(signal, rec.value) ?? []) out.add(id);
        }
      }
      return out;
    },
  };
}
