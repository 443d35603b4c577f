/** Exit codes: 0 clean, 1 runtime failure, 2 usage or configuration error, 130 forced by a second signal. */
export const EXIT = { ok: 0, failure: 1, config: 2, interrupted: 130 } as const;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Called once the service is running (tests wait on it). */
  ready?(): void;
  /** Called when one of the process's servers listens (`health_check`, `metrics`), with its host:port: tests read ephemeral ports from it. */
  listening?(server: string, address: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};
