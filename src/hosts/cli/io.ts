/**
 * What a CLI command may touch. Commands take this instead of `process` so tests can run them
 * in-process with captured streams and a controlled environment.
 */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when standard error is a terminal (progress and colours are shown only then). */
  isTTY: boolean;
  /** Aborts a command's call (Ctrl-C); when absent, a command that streams listens for SIGINT itself. */
  signal?: AbortSignal;
}

/** A subcommand: parses its own arguments and resolves to the process exit status. */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/** Exit statuses shared by every command. */
export const EXIT = {
  ok: 0,
  functionError: 1,
  invalidInput: 2,
  failure: 3,
} as const;

/** The real process's streams and environment. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
