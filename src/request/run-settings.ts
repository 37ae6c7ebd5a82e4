import type { CallPlan } from '../definition/call-plan.js';
import type { TaskSettings } from '../generated/settings.js';

/** Timeouts of one HTTP call, in milliseconds. */
export interface TransportTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  connectMs: number;
  /** From the request being sent to the response headers. */
  firstByteMs: number;
  /** Between two body reads while the reader is waiting (a paused reader never times out). */
  idleMs: number;
  /** The whole call, until the body has been read. */
  totalMs: number;
}

/** Attempts and backoff for retryable failures before the response starts. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The settings of one call with every default filled in. */
export interface RunSettings {
  outputMode: 'aggregated' | 'chunked';
  outputEncoding: 'utf8' | 'base64' | 'bytes';
  framing: 'chunk' | 'line';
  timeouts: TransportTimeouts;
  retry: RetryPolicy;
  maxAggregatedBytes: number;
  maxLineBytes: number;
  spillDirectory: string | undefined;
}

/** The documented defaults (docs/ARCHITECTURE.md, schemas/settings.schema.json). */
export const DEFAULT_RUN_SETTINGS: Readonly<RunSettings> = Object.freeze({
  outputMode: 'aggregated',
  outputEncoding: 'utf8',
  framing: 'chunk',
  timeouts: { connectMs: 10_000, firstByteMs: 60_000, idleMs: 300_000, totalMs: 960_000 },
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 20_000 },
  maxAggregatedBytes: 20 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
  spillDirectory: undefined,
});

/**
 * Fill the defaults of the settings that steer a call; the output mode is the setting the plan names.
 * @example
 * runSettings({ timeouts: { idleMs: 5000 } }, plan).timeouts.connectMs // 10000
 */
export function runSettings(settings: TaskSettings | undefined, plan?: CallPlan): RunSettings {
  const d = DEFAULT_RUN_SETTINGS;
  const s = settings ?? {};
  const mode =
    plan === undefined ? s.outputMode : (s as Record<string, unknown>)[plan.settingNames.outputMode];
  return {
    outputMode:
      mode === 'aggregated' || mode === 'chunked' ? mode : (plan?.defaultOutputMode ?? d.outputMode),
    outputEncoding: s.outputEncoding ?? d.outputEncoding,
    framing: s.framing ?? d.framing,
    timeouts: {
      connectMs: s.timeouts?.connectMs ?? d.timeouts.connectMs,
      firstByteMs: s.timeouts?.firstByteMs ?? d.timeouts.firstByteMs,
      idleMs: s.timeouts?.idleMs ?? d.timeouts.idleMs,
      totalMs: s.timeouts?.totalMs ?? d.timeouts.totalMs,
    },
    retry: {
      maxAttempts: s.retry?.maxAttempts ?? d.retry.maxAttempts,
      baseDelayMs: s.retry?.baseDelayMs ?? d.retry.baseDelayMs,
      maxDelayMs: s.retry?.maxDelayMs ?? d.retry.maxDelayMs,
    },
    maxAggregatedBytes: s.limits?.maxAggregatedBytes ?? d.maxAggregatedBytes,
    maxLineBytes: s.limits?.maxLineBytes ?? d.maxLineBytes,
    spillDirectory: s.spillDirectory,
  };
}
