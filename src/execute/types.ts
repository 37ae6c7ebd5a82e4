/**
 * What a host passes with each call and what it gets back: the executor's public types.
 */
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import type { TaskError } from '../errors.js';
import type { AggregatedResult } from '../generated/output-aggregated.js';
import type { OutputEvent } from '../generated/output-event.js';
import type { TaskLogger } from '../logger.js';
import type { HttpIntegrationResponse } from '../output/http-integration-prelude.js';
import type { AwsCredentials, AwsCredentialsProvider } from '../signing/credentials.js';
import type { AgentPool } from '../transport/agent-pool.js';

export type { TaskLogger } from '../logger.js';
export type { AwsCredentials, AwsCredentialsProvider } from '../signing/credentials.js';

/**
 * Hooks that see the call as it happens (Test request builds its report on them). Values are
 * NOT redacted: an observer that prints must pass them through `redact()`.
 */
export interface ExecutionObserver {
  onRequest?(r: {
    attempt: number;
    method: string;
    url: string;
    headers: Record<string, string>;
    body: Uint8Array;
  }): void;
  onResponse?(r: {
    attempt: number;
    statusCode: number;
    headers: Record<string, string | string[]>;
    elapsedMs: number;
  }): void;
  /** Each event-stream message (a `payload` response has none: its chunks are the body's reads). */
  onMessage?(m: {
    eventType: string;
    messageType: string;
    /** What the definition makes of it: a chunk, the completion, another event, or a stream exception. */
    role: 'chunk' | 'complete' | 'other' | 'exception';
    size: number;
    elapsedMs: number;
    payload: Uint8Array;
  }): void;
  /** The HTTP-integration prelude has been read (before the payload that follows it). */
  onPrelude?(p: HttpIntegrationResponse & { elapsedMs: number }): void;
  onRetry?(r: { attempt: number; delayMs: number; error: TaskError }): void;
}

/** What the host passes with each call. Everything is optional. */
export interface ExecuteContext {
  /** Cancels the call: the socket is closed at once. */
  signal?: AbortSignal | undefined;
  logger?: TaskLogger | undefined;
  /** Credentials (or a provider of them) from the host; else the credentials setting; else the AWS chain. */
  credentials?: AwsCredentials | AwsCredentialsProvider | undefined;
  /** The environment to read (region, endpoint and proxy variables…); default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Where relative `file://` payload paths start; default `process.cwd()`. */
  cwd?: string | undefined;
  /**
   * Confine `file://` payloads to this folder (links followed): an engine that runs inputs written
   * by its users sets it so a workflow cannot send `/etc/passwd`. Unset, any readable file may be
   * sent, as with the AWS CLI's `file://`.
   */
  payloadRoot?: string | undefined;
  /** Wall clock in ms (signing time, timings); default `Date.now`. */
  now?: (() => number) | undefined;
  /** Randomness in [0, 1) for retry jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  observer?: ExecutionObserver | undefined;
}

/** The result of `execute`, by output mode. */
export type ExecuteOutput =
  | { mode: 'aggregated'; result: AggregatedResult }
  | { mode: 'chunked'; events: AsyncIterable<OutputEvent> };

/** Options of an executor instance. */
export interface ExecutorOptions {
  /** Connection pool (default: the process-wide keep-alive pool). */
  pool?: AgentPool;
  /**
   * The definition: a manifest file's path or a definition already loaded with `loadManifest()`
   * (default: the package's manifest.json, InvokeWithResponseStream).
   */
  manifest?: string | LoadedManifest;
}

/** An executor: its own credential cache and clock offsets, sharing or owning a connection pool. */
export interface Executor {
  /** The definition this executor runs. */
  readonly manifest: LoadedManifest;
  execute(input: unknown, context?: ExecuteContext): Promise<ExecuteOutput>;
  invoke(input: unknown, context?: ExecuteContext): Promise<AggregatedResult>;
  invokeStream(input: unknown, context?: ExecuteContext): AsyncIterable<OutputEvent>;
}
