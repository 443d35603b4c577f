import type { z } from 'zod';

/** zod issues as "path: message" lines, with the path prefixed by where the section sits in the file. */
export function formatIssues(prefix: readonly string[], error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(String)].join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      message = `unknown option${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    }
    return `${path}: ${message}`;
  });
}
