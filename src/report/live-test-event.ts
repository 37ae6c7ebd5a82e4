/**
 * The events of a live Test request, in the order a call produces them. Every value has passed
 * through `redact()`; times are milliseconds since the request started (as in the report).
 */
import type { Preview, TestReport, TestReportError, TestReportRequest } from './test-report.js';

/** The request of one attempt, as sent: redacted, with the equivalent curl command. */
export interface LiveRequestEvent {
  type: 'request';
  attempt: number;
  elapsedMs: number;
  request: TestReportRequest;
}

/** An attempt failed and the call will be sent again after `delayMs`. */
export interface LiveRetryEvent {
  type: 'retry';
  attempt: number;
  delayMs: number;
  code: string;
}

/** The response headers arrived; `elapsedMs` is the time to first byte. */
export interface LiveResponseEvent {
  type: 'response';
  statusCode: number;
  headers: Record<string, string>;
  executedVersion?: string;
  requestId?: string;
  contentType?: string;
  elapsedMs: number;
}

/** An HTTP-integration function's prelude has been read in full. */
export interface LivePreludeEvent {
  type: 'prelude';
  elapsedMs: number;
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** One payload chunk, as it arrived. */
export interface LiveChunkEvent {
  type: 'chunk';
  /** 0-based arrival order. */
  seq: number;
  size: number;
  /** Payload bytes received so far, this chunk included. */
  bytes: number;
  elapsedMs: number;
  /** Text when the chunk is printable UTF-8, else hex (capped by `limits.maxEventPreviewBytes`). */
  preview: Preview;
}

/** The call completed and the function ran without error. */
export interface LiveCompleteEvent {
  type: 'complete';
  statusCode: number;
  bytes: number;
  chunks: number;
  timeToFirstByteMs?: number;
  timeToFirstChunkMs?: number;
  totalMs: number;
  throughputBytesPerSecond?: number;
}

/** The call failed (or the function reported an error), with the hint on the likely fix. */
export interface LiveErrorEvent {
  type: 'error';
  elapsedMs: number;
  error: TestReportError;
}

/** Always the last event: the same report `testRequest` returns. */
export interface LiveReportEvent {
  type: 'report';
  report: TestReport;
}

/** One event of {@link testRequestLive}. */
export type LiveTestEvent =
  | LiveRequestEvent
  | LiveRetryEvent
  | LiveResponseEvent
  | LivePreludeEvent
  | LiveChunkEvent
  | LiveCompleteEvent
  | LiveErrorEvent
  | LiveReportEvent;
