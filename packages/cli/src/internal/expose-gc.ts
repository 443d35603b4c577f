import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Makes `globalThis.gc` available in the CLI's process, so the memory
 * limiter can get memory back above its soft limit the way the Collector's
 * does (a forced collection) instead of waiting on V8. Node exposes gc only
 * behind --expose-gc; setting the flag at run time makes new contexts see it.
 * Only the CLI calls this: a library never changes its host's flags.
 */
export function exposeGc(): () => void {
  const g = globalThis as { gc?: () => void };
  if (typeof g.gc !== 'function') {
    setFlagsFromString('--expose-gc');
    g.gc = runInNewContext('gc') as () => void;
  }
  return g.gc;
}
