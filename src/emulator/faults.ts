/**
 * Fault injection for reliability tests. A fault spec comes from a function's config file
 * (`faults`), from the emulator options, or per request from the `x-emulator-fault` header
 * (JSON; only the emulator reads it). Every fault is deterministic: counted faults (throttle,
 * server error) fire on the first N requests that carry the same `key`, in that order.
 */

/** The header that carries a per-request fault spec (JSON). */
export const FAULT_HEADER = 'x-emulator-fault';

/** What to break, and how. All fields optional; counts are 1-based. */
export interface FaultSpec {
  /** Counter scope of `throttle` and `serverError` (default: the header text, or `config:NAME`). */
  key?: string;
  /** Answer the first N requests with 429 `TooManyRequestsException`. */
  throttle?: number;
  /** `Retry-After` of the throttle answer, seconds (default 1). */
  retryAfterSeconds?: number;
  /** `Reason` of the throttle answer (default `ConcurrentInvocationLimitExceeded`). */
  throttleReason?: string;
  /** After the throttles, answer the next N requests with a server error. */
  serverError?: number;
  /** Status of the server error (500–599, default 500). */
  serverErrorStatus?: number;
  /** `x-amzn-ErrorType` of the server error (default `ServiceException`). */
  serverErrorType?: string;
  /** Wait this long (after the response headers) before the first `PayloadChunk`. */
  delayFirstChunkMs?: number;
  /** Wait this long before every `PayloadChunk` after the first. */
  delayBetweenChunksMs?: number;
  /** Destroy the connection once N `PayloadChunk`s were sent (0: right after the headers). */
  dropAfterChunks?: number;
  /** Flip the message CRC of the N-th `PayloadChunk`. */
  corruptChunk?: number;
  /** Send only the first half of the N-th message (chunks and `InvokeComplete` count), then end the body. */
  truncateMessage?: number;
  /** End the body without `InvokeComplete`. */
  omitComplete?: boolean;
  /** Run the emulator's clock this far ahead (negative: behind) for the request: signatures dated more than 15 minutes off are refused as expired, and `Date` tells the skewed time. */
  clockSkewMs?: number;
}

const COUNTS = ['throttle', 'serverError', 'dropAfterChunks', 'corruptChunk', 'truncateMessage'] as const;
const DURATIONS = ['delayFirstChunkMs', 'delayBetweenChunksMs', 'retryAfterSeconds'] as const;
const STRINGS = ['key', 'throttleReason', 'serverErrorType'] as const;
const KNOWN = new Set<string>([
  ...COUNTS,
  ...DURATIONS,
  ...STRINGS,
  'serverErrorStatus',
  'omitComplete',
  'clockSkewMs',
]);

/**
 * Check a fault spec; returns the first problem, naming the field and the rule.
 * @example
 * checkFaultSpec({ throttle: 2 }) // → undefined (valid)
 */
export function checkFaultSpec(value: unknown, where: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${where} must be an object`;
  const spec = value as Record<string, unknown>;
  for (const field of Object.keys(spec)) {
    if (!KNOWN.has(field)) return `${where}.${field} is not a known fault (known: ${[...KNOWN].join(', ')})`;
  }
  for (const field of [...COUNTS, ...DURATIONS]) {
    const v = spec[field];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) {
      return `${where}.${field} must be a non-negative integer`;
    }
  }
  for (const field of STRINGS) {
    const v = spec[field];
    if (v !== undefined && !(typeof v === 'string' && v.length > 0 && v.length <= 256)) {
      return `${where}.${field} must be a string of 1 to 256 characters`;
    }
  }
  const status = spec.serverErrorStatus;
  if (
    status !== undefined &&
    !(Number.isInteger(status) && (status as number) >= 500 && (status as number) <= 599)
  ) {
    return `${where}.serverErrorStatus must be an integer from 500 to 599`;
  }
  if (spec.omitComplete !== undefined && typeof spec.omitComplete !== 'boolean') {
    return `${where}.omitComplete must be true or false`;
  }
  const skew = spec.clockSkewMs;
  if (skew !== undefined && !(Number.isInteger(skew) && Math.abs(skew as number) <= 7 * 24 * 3600_000)) {
    return `${where}.clockSkewMs must be an integer of at most a week either way`;
  }
  for (const field of ['dropAfterChunks', 'corruptChunk', 'truncateMessage'] as const) {
    if (field !== 'dropAfterChunks' && spec[field] === 0) return `${where}.${field} counts from 1`;
  }
  return undefined;
}

/** Parse the `x-emulator-fault` header; `{ error }` names what is wrong. */
export function parseFaultHeader(text: string): { spec: FaultSpec } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `${FAULT_HEADER} must be a JSON object, e.g. {"throttle":2,"key":"k1"}` };
  }
  const problem = checkFaultSpec(value, FAULT_HEADER);
  return problem === undefined ? { spec: value as FaultSpec } : { error: problem };
}

/** The pre-stream answer a counted fault asks for, if any. */
export type CountedFault =
  | { kind: 'throttle'; retryAfterSeconds: number; reason: string }
  | { kind: 'serverError'; status: number; type: string };

/** Per-key request counters for the counted faults (throttle first, then server errors). */
export class FaultCounters {
  private readonly seen = new Map<string, number>();

  /** Count this request under `key` and say which counted fault (if any) it gets. */
  next(spec: FaultSpec, key: string): CountedFault | undefined {
    const throttle = spec.throttle ?? 0;
    const serverError = spec.serverError ?? 0;
    if (throttle + serverError === 0) return undefined;
    const index = this.seen.get(key) ?? 0;
    this.seen.set(key, index + 1);
    if (index < throttle) {
      return {
        kind: 'throttle',
        retryAfterSeconds: spec.retryAfterSeconds ?? 1,
        reason: spec.throttleReason ?? 'ConcurrentInvocationLimitExceeded',
      };
    }
    if (index < throttle + serverError) {
      return {
        kind: 'serverError',
        status: spec.serverErrorStatus ?? 500,
        type: spec.serverErrorType ?? 'ServiceException',
      };
    }
    return undefined;
  }

  /** Forget every count (so a test can reuse a key). */
  reset(): void {
    this.seen.clear();
  }
}
