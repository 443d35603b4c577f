import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cgroupLimitBytes, totalMemoryBytes } from '../src/index.js';
import { parseLimit } from '../src/total-memory.js';

let dir: string;
const GIB = 1024 ** 3;

function write(rel: string, text: string): void {
  const file = join(dir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function paths() {
  return { selfCgroup: join(dir, 'proc-self-cgroup'), root: join(dir, 'cgroup') };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'memlimit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cgroup memory limit', () => {
  it('reads cgroup v2 memory.max of the process cgroup', () => {
    write('proc-self-cgroup', '0::/app.slice/svc\n');
    write('cgroup/app.slice/svc/memory.max', '536870912\n');
    write('cgroup/memory.max', 'max\n');
    expect(cgroupLimitBytes(paths())).toBe(512 * 1024 * 1024);
  });

  it('falls back to the mount root (a container sees its own cgroup there)', () => {
    write('proc-self-cgroup', '0::/kubepods/pod1/c1\n');
    write('cgroup/memory.max', '268435456\n');
    expect(cgroupLimitBytes(paths())).toBe(256 * 1024 * 1024);
  });

  it('treats v2 "max" as unlimited', () => {
    write('proc-self-cgroup', '0::/\n');
    write('cgroup/memory.max', 'max\n');
    expect(cgroupLimitBytes(paths())).toBeUndefined();
    expect(totalMemoryBytes(paths(), 8 * GIB)).toBe(8 * GIB);
  });

  it('reads cgroup v1 memory.limit_in_bytes, including a combined controller line', () => {
    write('proc-self-cgroup', '5:cpuacct,memory:/docker/abc\n1:cpu:/\n');
    write('cgroup/memory/docker/abc/memory.limit_in_bytes', '1073741824\n');
    expect(cgroupLimitBytes(paths())).toBe(GIB);
  });

  it('treats the v1 "no limit" value as unlimited', () => {
    write('proc-self-cgroup', '4:memory:/\n');
    write('cgroup/memory/memory.limit_in_bytes', '9223372036854771712\n');
    expect(cgroupLimitBytes(paths())).toBeUndefined();
  });

  it('uses the machine memory when there is no cgroup or the cgroup allows more', () => {
    expect(totalMemoryBytes(paths(), 4 * GIB)).toBe(4 * GIB);
    write('proc-self-cgroup', '0::/\n');
    write('cgroup/memory.max', String(16 * GIB));
    expect(totalMemoryBytes(paths(), 4 * GIB)).toBe(4 * GIB);
    expect(totalMemoryBytes(paths(), 32 * GIB)).toBe(16 * GIB);
  });

  it('parses limits strictly', () => {
    expect(parseLimit(' 1024\n')).toBe(1024);
    expect(parseLimit('max')).toBeUndefined();
    expect(parseLimit('garbage')).toBeUndefined();
    expect(parseLimit('')).toBeUndefined();
  });
});
