/**
 * The one error family of the task. Every failure the task reports is a {@link TaskError}
 * with a stable machine-readable `code`; hosts branch on `code` (or on the subclass),
 * never on the message text.
 *
 * Who must act is part of the contract:
 * - `InputError`: the caller's input or configuration; thrown before any I/O.
 * - `DefinitionError`: the packaged definition (manifest, schemas) is broken: a packaging bug.
 * - `ServiceError`: the service answered with an HTTP error before streaming.
 * - `TransportError`: the connection (connect, timeouts, abort, reset).
 * - `StreamError`: the event stream itself (checksum, truncation, missing completion, in-stream exception).
 * - `FunctionError`: the function ran and reported an error in `InvokeComplete`.
 * - `OutputError`: the output stage (size cap, spill file).
 *
 * Each code's class, default `retryable`, who must act and meaning are in one table,
 * `error-codes.ts`, which `docs/errors.md` is generated from.
 */

import { ERROR_CODES, type ErrorCodeInfo, type TaskErrorCode } from './error-codes.js';

export type { TaskErrorCode } from './error-codes.js';

/** The table's default for `retryable`; a code from outside the table (an event of a newer peer) is not retryable. */
function defaultRetryable(code: TaskErrorCode): boolean {
  return (ERROR_CODES as Readonly<Record<string, ErrorCodeInfo | undefined>>)[code]?.retryable ?? false;
}

/** Marks errors of this family across two copies of the package (instanceof would not). */
const BRAND = Symbol.for('lambda-stream-task.TaskError');

export interface TaskErrorOptions {
  cause?: unknown;
  /** Else the code's default from the table in `error-codes.ts`. */
  retryable?: boolean;
  /** How many output chunks had reached the downstream step when the call failed. */
  chunksDelivered?: number;
  /** Extra machine-readable facts (never secrets). */
  details?: Record<string, unknown>;
}

/**
 * Base of every error the task throws or reports.
 * @example
 * try { await execute(input, ctx) } catch (e) { if (isTaskError(e) && e.code === 'THROTTLED') retryLater() }
 */
export class TaskError extends Error {
  readonly code: TaskErrorCode;
  readonly retryable: boolean;
  readonly chunksDelivered: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: TaskErrorCode, message: string, options: TaskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? defaultRetryable(code);
    this.chunksDelivered = options.chunksDelivered;
    this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** A plain, serialisable view (for reports, NDJSON error events and `--json`). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    out.retryable = this.retryable;
    if (this.chunksDelivered !== undefined) out.chunksDelivered = this.chunksDelivered;
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

/** One failed rule of one field of the task input. */
export interface ValidationIssue {
  /** Which part of the input: `path`, `headers`, `query`, `body` or `settings` (or `input` for the whole). */
  location: string;
  /** The field's dotted path in the input, e.g. `headers.X-Amz-Log-Type`. */
  path: string;
  /** The rule that failed (the JSON Schema keyword, or a task rule such as `computed`). */
  keyword: string;
  /** Plain words: `headers.X-Amz-Log-Type must be one of Tail, None`. */
  message: string;
}

/** The caller's input or configuration is wrong. Nothing was sent. */
export class InputError extends TaskError {
  readonly issues: readonly ValidationIssue[];
  constructor(
    code: TaskErrorCode,
    message: string,
    issues: readonly ValidationIssue[] = [],
    options: TaskErrorOptions = {},
  ) {
    super(code, message, options);
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** The packaged definition is broken: a bug in the plugin, not in the caller's input. */
export class DefinitionError extends TaskError {
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, issues: readonly ValidationIssue[] = [], options: TaskErrorOptions = {}) {
    super('DEFINITION_INVALID', message, options);
    this.issues = issues;
  }
}

export interface ServiceErrorFacts {
  statusCode: number;
  /** `x-amzn-ErrorType` with any `:…` suffix removed, e.g. `ResourceNotFoundException`. */
  awsErrorType?: string;
  /** The service's own message (bounded). */
  awsMessage?: string;
  requestId?: string;
  /** Seconds from `Retry-After`, when the service sent it. */
  retryAfterSeconds?: number;
}

/** The service answered with an HTTP error before streaming began. */
export class ServiceError extends TaskError {
  readonly statusCode: number;
  readonly awsErrorType: string | undefined;
  readonly awsMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    code: TaskErrorCode,
    message: string,
    facts: ServiceErrorFacts,
    options: TaskErrorOptions = {},
  ) {
    super(code, message, options);
    this.statusCode = facts.statusCode;
    this.awsErrorType = facts.awsErrorType;
    this.awsMessage = facts.awsMessage;
    this.requestId = facts.requestId;
    this.retryAfterSeconds = facts.retryAfterSeconds;
  }
  override toJSON(): Record<string, unknown> {
    const out = super.toJSON();
    out.statusCode = this.statusCode;
    if (this.awsErrorType !== undefined) out.awsErrorType = this.awsErrorType;
    if (this.awsMessage !== undefined) out.awsMessage = this.awsMessage;
    if (this.requestId !== undefined) out.requestId = this.requestId;
    if (this.retryAfterSeconds !== undefined) out.retryAfterSeconds = this.retryAfterSeconds;
    return out;
  }
}

/** The connection failed, timed out or was aborted. */
export class TransportError extends TaskError {}

/** The event stream was corrupt, truncated, or ended without `InvokeComplete`. */
export class StreamError extends TaskError {}

/** The function ran and reported an error (`InvokeComplete.ErrorCode`). Never retried. */
export class FunctionError extends TaskError {
  readonly errorCode: string;
  readonly errorDetails: string | undefined;
  /** The decoded tail log, when `X-Amz-Log-Type: Tail` was asked for. */
  readonly logResult: string | undefined;
  constructor(
    errorCode: string,
    errorDetails: string | undefined,
    logResult: string | undefined,
    options: TaskErrorOptions = {},
  ) {
    super(
      'FUNCTION_ERROR',
      `The function reported ${errorCode}${errorDetails ? `: ${errorDetails}` : ''}`,
      options,
    );
    this.errorCode = errorCode;
    this.errorDetails = errorDetails;
    this.logResult = logResult;
  }
  override toJSON(): Record<string, unknown> {
    const out = super.toJSON();
    out.errorCode = this.errorCode;
    if (this.errorDetails !== undefined) out.errorDetails = this.errorDetails;
    if (this.logResult !== undefined) out.logResult = this.logResult;
    return out;
  }
}

/** The output stage could not hold or store the payload. */
export class OutputError extends TaskError {}

/**
 * True for any error of this family, even one thrown by another copy of the package.
 * @example
 * if (isTaskError(err)) console.error(err.code)
 */
export function isTaskError(value: unknown): value is TaskError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
