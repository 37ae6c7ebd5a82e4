/**
 * The messages between the emulator and a function instance (a worker thread). One invocation at a
 * time: `invoke` starts it, the instance streams `start`, `chunk` and `log` messages, and `done`
 * ends it; `ack` returns credit for chunk bytes the emulator has written to its client.
 */
import type { DescribedError } from './format-error.js';
import type { LambdaContextFacts } from './lambda-context.js';

/** What an instance is started with (its `workerData`). */
export interface InstanceData {
  /** The module to import (a compiled `.mjs` for a TypeScript function). */
  file: string;
  functionName: string;
}

/** The emulator → instance messages. */
export type ToInstance =
  | { type: 'invoke'; event: unknown; facts: Omit<LambdaContextFacts, 'now'>; traceId: string }
  | { type: 'ack'; bytes: number }
  /** The client went away: destroy the response stream (the handler runs on, as in Lambda). */
  | { type: 'abort' };

/** How a handler's run ended inside the instance. */
export type InstanceOutcome =
  | { kind: 'success' }
  | ({ kind: 'error' } & DescribedError)
  | { kind: 'aborted' };

/** The instance → emulator messages. */
export type FromInstance =
  | { type: 'ready' }
  | { type: 'init-error'; errorType: string; message: string }
  | { type: 'log'; line: string }
  | { type: 'start'; contentType: string | undefined }
  | { type: 'chunk'; bytes: Uint8Array }
  /** The response has ended. */
  /** `idle`: the handler had returned too, so the instance is free with this message. */
  | { type: 'done'; outcome: InstanceOutcome; heapUsedMb: number; idle: boolean }
  /** The handler has settled too: the instance can take the next invocation. */
  | { type: 'idle'; heapUsedMb: number }
  /** An uncaught exception or unhandled rejection: the instance exits with `exitCode` next. */
  | { type: 'crash'; error: DescribedError; exitCode: number };
