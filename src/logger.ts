import { redact } from './redact.js';

/** Where the task writes what a host may want to see (the function's tail log, retries, function errors). */
export interface TaskLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A logger that drops everything (the default: a library prints nothing unless asked). */
export const silentLogger: TaskLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Wrap a host's logger so every message and field passes through `redact()` first: the one exit
 * for secrets holds for logs too.
 * @example
 * const logger = redactingLogger({ debug: console.debug, info: console.info, warn: console.warn, error: console.error })
 */
export function redactingLogger(logger: TaskLogger | undefined): TaskLogger {
  if (logger === undefined) return silentLogger;
  const out = {} as TaskLogger;
  for (const level of LEVELS) {
    out[level] = (message, fields) => {
      if (fields === undefined) logger[level](redact(message));
      else logger[level](redact(message), redact(fields));
    };
  }
  return out;
}
