import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';

/** Where to look; tests point these at a temporary directory. */
export interface CgroupPaths {
  /** The process's cgroup membership file. Default /proc/self/cgroup. */
  selfCgroup: string;
  /** The cgroup filesystem mount. Default /sys/fs/cgroup. */
  root: string;
}

const DEFAULT_PATHS: CgroupPaths = { selfCgroup: '/proc/self/cgroup', root: '/sys/fs/cgroup' };

/**
 * The memory this process may use: the cgroup limit (v2 memory.max, else v1
 * memory.limit_in_bytes) when there is one below the machine's memory, else
 * os.totalmem().
 */
export function totalMemoryBytes(
  paths: CgroupPaths = DEFAULT_PATHS,
  machineBytes: number = totalmem(),
): number {
  const limit = cgroupLimitBytes(paths);
  return limit !== undefined && limit < machineBytes ? limit : machineBytes;
}

/** The cgroup memory limit in bytes, or undefined when unlimited or not found. */
export function cgroupLimitBytes(paths: CgroupPaths = DEFAULT_PATHS): number | undefined {
  const membership = readText(paths.selfCgroup) ?? '';
  const v2Path = /^0::(.*)$/m.exec(membership)?.[1];
  const v1Path = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(.*)$/m.exec(membership)?.[1];
  // The process's own cgroup first; inside a container the mount is usually
  // already that cgroup, so fall back to the root of the mount.
  const candidates = [
    ...(v2Path !== undefined ? [join(paths.root, v2Path, 'memory.max')] : []),
    join(paths.root, 'memory.max'),
    ...(v1Path !== undefined ? [join(paths.root, 'memory', v1Path, 'memory.limit_in_bytes')] : []),
    join(paths.root, 'memory', 'memory.limit_in_bytes'),
  ];
  for (const file of candidates) {
    const text = readText(file);
    if (text === undefined) continue;
    return parseLimit(text);
  }
  return undefined;
}

/** "max" (v2) and the huge page-rounded v1 value mean unlimited. */
export function parseLimit(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || t === 'max') return undefined;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 2 ** 62 ? undefined : n;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
