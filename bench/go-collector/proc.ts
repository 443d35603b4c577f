// CPU time of another process, read the same way for the Go Collector and for our Node agent:
// utime + stime from /proc/<pid>/stat (every thread of the process, counted by the kernel in
// clock ticks), so neither side is measured by its own runtime's accounting.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** sysconf(_SC_CLK_TCK): 100 on Linux unless the kernel says otherwise. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** user + system CPU of `pid` so far, in microseconds (resolution: one clock tick, 10 ms at 100 Hz). */
export function procCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (field 15) fields[12].
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`cannot parse /proc/${pid}/stat: ${stat}`);
  return (ticks / clockTicks()) * 1e6;
}

/** Resident set size of `pid` in bytes (VmRSS), for the report. */
export function procRssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export interface ProcStopwatch {
  read(): { wallMs: number; cpuUs: number };
}

/** Wall time and the process's CPU from now on. */
export function procStopwatch(pid: number): ProcStopwatch {
  const t0 = performance.now();
  const c0 = procCpuUs(pid);
  return { read: () => ({ wallMs: performance.now() - t0, cpuUs: procCpuUs(pid) - c0 }) };
}
