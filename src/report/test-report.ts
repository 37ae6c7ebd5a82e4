/**
 * The Test request report: what a person reads at a glance and a designer UI renders. Every string
 * in it has passed through `redact()`; sizes are bytes, times are milliseconds since the request
 * started (the attempt that produced the response).
 */
import type { ValidationIssue } from '../errors.js';

/** Caps that keep a report small whatever the function streams (the defaults are documented here). */
export interface TestReportLimits {
  /** Events listed in `response.events` (more are counted in `eventsOmitted`); default 50. */
  maxEvents: number;
  /** Bytes shown of the request body and the aggregated output; default 2048. */
  maxPreviewBytes: number;
  /** Bytes shown of each event's payload; default 256. */
  maxEventPreviewBytes: number;
  /** Bytes of the decoded tail log kept (its end); default 4096. */
  maxLogBytes: number;
}

/** The default {@link TestReportLimits}. */
export const DEFAULT_REPORT_LIMITS: TestReportLimits = {
  maxEvents: 50,
  maxPreviewBytes: 2048,
  maxEventPreviewBytes: 256,
  maxLogBytes: 4096,
};

/** The start of some bytes: UTF-8 text when they are printable text, else hex. */
export interface Preview {
  /** Size of the whole value. */
  bytes: number;
  /** True when `text`/`hex` shows only the start. */
  truncated: boolean;
  text?: string;
  hex?: string;
}

/** One event-stream message as it arrived. */
export interface TestReportEvent {
  /** 1-based arrival order. */
  seq: number;
  /** `:event-type` (the definition's chunk and completion events, …) or the exception type. */
  eventType: string;
  /** `:message-type` (`event`, `exception`, `error`). */
  messageType: string;
  /** What the definition makes of it: a payload chunk, the completion, another event, or an exception. */
  role: 'chunk' | 'complete' | 'other' | 'exception';
  /** Payload bytes of the message. */
  size: number;
  /** Bytes of the whole message on the wire (prelude, headers, payload, CRCs). */
  wireBytes: number;
  elapsedMs: number;
  preview: Preview;
}

/** `success`: ran; `dry-run`: an empty-body status (DryRun's 204), parameters and permission checked, nothing ran. */
export type TestOutcome = 'success' | 'dry-run' | 'function-error' | 'invalid-input' | 'failed';

export interface TestReportRequest {
  method: string;
  url: string;
  /** Redacted: signature, security token and all but 4 characters of the access key id. */
  headers: Record<string, string>;
  body: Preview;
  /** How many attempts were sent (retries included). */
  attempts: number;
  curl: {
    /** Reads credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN). */
    command: string;
    /** False when curl's own signing cannot match Lambda's (percent-escapes in the path). */
    reliable: boolean;
    note: string;
  };
}

export interface TestReportResponse {
  statusCode?: number;
  headers: Record<string, string>;
  events: TestReportEvent[];
  /** Events that arrived beyond `limits.maxEvents`. */
  eventsOmitted: number;
  timeToFirstByteMs?: number;
  totalMs: number;
  /** Payload bytes (all chunks). */
  bytes: number;
  chunks: number;
  throughputBytesPerSecond?: number;
}

export interface TestReportOutput {
  executedVersion?: string;
  requestId?: string;
  contentType?: string;
  /** What an HTTP-integration function declared in its prelude (status, headers, cookies). */
  httpResponse?: { statusCode?: number; headers?: Record<string, string>; cookies?: string[] };
  /** How the aggregated payload reads: JSON, text, binary (hex preview), or no payload. */
  payloadEncoding: 'json' | 'utf8' | 'binary' | 'none';
  preview: Preview;
}

export interface TestReportError {
  code: string;
  message: string;
  /** One line on the likely fix. */
  hint: string;
  retryable: boolean;
  /** `InvokeComplete.ErrorCode` for a function error. */
  functionErrorCode?: string;
  statusCode?: number;
  awsErrorType?: string;
  requestId?: string;
}

/**
 * The Test request report.
 * @example
 * const report = await testRequest(input, { credentials })
 * if (report.outcome === 'invalid-input') for (const i of report.issues ?? []) console.log(i.message)
 */
export interface TestReport {
  outcome: TestOutcome;
  /** One line for a status bar. */
  summary: string;
  /** Field-by-field problems when the input is invalid (nothing was sent). */
  issues?: ValidationIssue[];
  request?: TestReportRequest;
  response?: TestReportResponse;
  output?: TestReportOutput;
  /** The decoded tail log (its last `limits.maxLogBytes`). */
  log?: { text: string; truncated: boolean };
  error?: TestReportError;
  retries: Array<{ attempt: number; delayMs: number; code: string }>;
  limits: TestReportLimits;
}
