import { Err, Ok, type Result } from 'ts-results-es';
import { ConfigError } from './errors.js';

/**
 * Expands `${env:NAME}`, `${NAME}`, `${env:NAME:-default}` and `${NAME:-default}`
 * in every string of a parsed YAML tree, as the Collector does; `$$` is a literal `$`.
 * A variable that is unset and has no default is an error naming the path
 * (the Collector would silently use an empty string, which hides mistakes).
 */
export function expandEnv(
  tree: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: readonly string[] = [],
): Result<unknown, ConfigError> {
  if (typeof tree === 'string') return expandString(tree, env, path);
  if (Array.isArray(tree)) {
    const out: unknown[] = [];
    for (let i = 0; i < tree.length; i++) {
      const r = expandEnv(tree[i], env, [...path, String(i)]);
      if (r.isErr()) return r;
      out.push(r.value);
    }
    return Ok(out);
  }
  if (tree !== null && typeof tree === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) {
      const r = expandEnv(v, env, [...path, k]);
      if (r.isErr()) return r;
      out[k] = r.value;
    }
    return Ok(out);
  }
  return Ok(tree);
}

const PATTERN = /\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function expandString(
  s: string,
  env: Readonly<Record<string, string | undefined>>,
  path: readonly string[],
): Result<unknown, ConfigError> {
  let missing: string | undefined;
  const whole = /^\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/.test(s);
  const out = s.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name!];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing ??= name;
    return '';
  });
  if (missing !== undefined)
    return Err(
      new ConfigError(
        'ERR_CONFIG_ENV',
        `${path.join('.')}: environment variable ${missing} is not set and has no default (write \${env:${missing}:-value})`,
        path.join('.'),
      ),
    );
  // A value that is exactly one variable keeps YAML typing (e.g. a port number), as in the Collector.
  if (whole && /^-?\d+$/.test(out)) return Ok(Number(out));
  if (whole && (out === 'true' || out === 'false')) return Ok(out === 'true');
  return Ok(out);
}
