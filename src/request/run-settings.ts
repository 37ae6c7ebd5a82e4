import type { TaskSettings } from '../generated/settings.js';
import type { RetryPolicy } from '../transport/retry-delay.js';
import type { TransportTimeouts } from '../transport/send-request.js';

/** The settings of one call with every default filled in. */
export interface RunSettings {
  outputMode: 'aggregated' | 'chunked';
  outputEncoding: 'utf8' | 'base64';
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
 * Fill the defaults of the settings that steer a call.
 * @example
 * runSettings({ timeouts: { idleMs: 5000 } }).timeouts.connectMs // 10000
 */
export function runSettings(
  settings: TaskSettings | undefined,
  defaultMode?: 'aggregated' | 'chunked',
): RunSettings {
  const d = DEFAULT_RUN_SETTINGS;
  const s = settings ?? {};
  return {
    outputMode: s.outputMode ?? defaultMode ?? d.outputMode,
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
