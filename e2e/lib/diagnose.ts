// When a scenario sees duplicates it cannot explain, say where they come from:
// stored twice in Kafka (the agent side wrote them twice) or stored once and
// exported twice (the gateway side), and which records hold them.
import { SIGNALS, type Names } from './configs.js';
import { readTopic, recordIds } from './kafka-admin.js';

export async function diagnoseDuplicates(
  brokers: string,
  names: Names,
  ids: readonly string[],
): Promise<string[]> {
  const wanted = new Set(ids);
  const where = new Map<string, string[]>();
  for (const s of SIGNALS) {
    for (const r of await readTopic(brokers, names.topics[s])) {
      for (const id of recordIds(s, r.value) ?? []) {
        if (!wanted.has(id)) continue;
        where.set(id, [...(where.get(id) ?? []), `${s}[${r.partition}]@${r.offset}`]);
      }
    }
  }
  const twice = ids.filter((id) => (where.get(id)?.length ?? 0) > 1);
  const once = ids.filter((id) => where.get(id)?.length === 1);
  const records = (list: string[]) =>
    [...new Set(list.flatMap((id) => where.get(id) ?? []))].slice(0, 12).join(' ');
  return [
    `diagnosis: ${twice.length} unexplained duplicates stored more than once in Kafka (agent side)${twice.length ? `: records ${records(twice)}` : ''}`,
    `diagnosis: ${once.length} stored once in Kafka, exported more than once (gateway side)${once.length ? `: records ${records(once)}` : ''}`,
  ];
}
