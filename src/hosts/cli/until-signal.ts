import type { CliCommand, CliIO } from './io.js';

/**
 * A long-running command that runs until SIGINT or SIGTERM: `run` gets a signal that aborts on either,
 * and the process handlers are removed when it returns.
 * @example
 * export const emulateCommand = untilSignal(runEmulate)
 */
export function untilSignal(
  run: (args: string[], io: CliIO, signal: AbortSignal) => Promise<number>,
): CliCommand {
  return async (args, io) => {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await run(args, io, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}
