/**
 * Routes `console.*` calls made while a handler runs into that invocation's log. The console is
 * process-wide but invocations interleave, so the owner is found through AsyncLocalStorage (the
 * context follows awaits, timers and callbacks started by the handler), never "the current one".
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { InvocationLog } from './invocation-log.js';

const storage = new AsyncLocalStorage<InvocationLog>();

const LEVELS = {
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
} as const;
type Method = keyof typeof LEVELS;
type ConsoleFn = (...args: unknown[]) => void;

let installs = 0;
let originals: Map<Method, ConsoleFn> | undefined;

/**
 * Patch the console (reference-counted: every emulator in the process shares one patch).
 * Returns the function that undoes this install.
 */
export function installConsoleCapture(): () => void {
  installs += 1;
  if (installs === 1) {
    const saved = new Map<Method, ConsoleFn>();
    for (const method of Object.keys(LEVELS) as Method[]) {
      const original = console[method] as ConsoleFn;
      saved.set(method, original);
      console[method] = (...args: unknown[]): void => {
        const log = storage.getStore();
        if (!log) {
          original.apply(console, args);
          return;
        }
        const text = format(...args);
        log.console(LEVELS[method], method === 'trace' ? `Trace: ${text}\n${traceStack()}` : text);
      };
    }
    originals = saved;
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    installs -= 1;
    if (installs === 0 && originals) {
      for (const [method, original] of originals) console[method] = original;
      originals = undefined;
    }
  };
}

/** Run `fn` (and everything it schedules) with its console output going to `log`. */
export function runWithLog<T>(log: InvocationLog, fn: () => T): T {
  return storage.run(log, fn);
}

function traceStack(): string {
  return (new Error().stack ?? '').split('\n').slice(3).join('\n');
}
