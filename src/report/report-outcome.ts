/**
 * The verdict of a Test request: its outcome, the error with its hint, and the one-line summary,
 * from what was seen of the call. Pure: the builder gathers the facts, this judges them.
 */
import { InputError, isTaskError } from '../errors.js';
import type { CompleteEvent, ErrorEvent } from '../generated/output-event.js';
import { hintFor } from './hint-for.js';
import type { TestOutcome, TestReport, TestReportError } from './test-report.js';

/** What the call ended with (any of them may be missing). */
export interface CallEnding {
  statusCode: number | undefined;
  complete: CompleteEvent | undefined;
  failure: ErrorEvent | undefined;
  /** What the executor threw, when it threw. */
  thrown: unknown;
  /** True when the service answered with its empty-body status (a dry run). */
  emptyBody: boolean;
}

function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

function thrownError(thrown: unknown): Omit<TestReportError, 'hint'> {
  return isTaskError(thrown)
    ? { code: thrown.code, message: thrown.message, retryable: thrown.retryable }
    : {
        code: 'UNEXPECTED',
        message: thrown instanceof Error ? thrown.message : String(thrown),
        retryable: false,
      };
}

function judge(ending: CallEnding): { outcome: TestOutcome; error?: Omit<TestReportError, 'hint'> } {
  const { complete, failure, thrown } = ending;
  if (complete?.functionError) {
    return {
      outcome: 'function-error',
      error: {
        code: 'FUNCTION_ERROR',
        message: complete.functionError.errorDetails ?? complete.functionError.errorCode,
        retryable: false,
        functionErrorCode: complete.functionError.errorCode,
      },
    };
  }
  if (failure) {
    return {
      outcome: 'failed',
      error: {
        code: failure.code,
        message: failure.message,
        retryable: failure.retryable,
        ...(failure.statusCode === undefined ? {} : { statusCode: failure.statusCode }),
        ...(failure.awsErrorType === undefined ? {} : { awsErrorType: failure.awsErrorType }),
        ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
      },
    };
  }
  if (thrown !== undefined) {
    return { outcome: thrown instanceof InputError ? 'invalid-input' : 'failed', error: thrownError(thrown) };
  }
  if (ending.emptyBody) return { outcome: 'dry-run' };
  if (!complete) {
    return {
      outcome: 'failed',
      error: {
        code: 'STREAM_INCOMPLETE',
        message: 'The call ended without a complete event',
        retryable: true,
      },
    };
  }
  return { outcome: 'success' };
}

function summarize(report: TestReport, ending: CallEnding, totalMs: number): string {
  const { error, response } = report;
  const size = response ? `${response.bytes} B in ${response.chunks} chunk(s)` : '';
  switch (report.outcome) {
    case 'success':
      return `success: ${ending.statusCode ?? '-'} in ${formatMs(totalMs)}, ${size}`;
    case 'dry-run':
      return `dry run: ${ending.statusCode}, parameters and permission checked, nothing ran`;
    case 'function-error':
      return `function error ${error?.functionErrorCode}: ${error?.message} (after ${formatMs(totalMs)}, ${size})`;
    case 'invalid-input':
      return report.issues && report.issues.length > 0
        ? `invalid input, ${report.issues.length} issue(s); nothing was sent`
        : `invalid input: ${error?.code}: ${error?.message}; nothing was sent`;
    case 'failed': {
      const where = [ending.statusCode, error?.awsErrorType].filter((x) => x !== undefined).join(' ');
      return `failed: ${error?.code}${where ? ` (${where})` : ''}: ${error?.message}`;
    }
  }
}

/**
 * Set the report's outcome, error (with its hint), issues and summary from how the call ended.
 * @example
 * applyOutcome(report, { statusCode: 200, complete, failure: undefined, thrown: undefined, emptyBody: false }, 120)
 */
export function applyOutcome(report: TestReport, ending: CallEnding, totalMs: number): void {
  const { outcome, error } = judge(ending);
  report.outcome = outcome;
  if (ending.thrown instanceof InputError && ending.thrown.issues.length > 0) {
    report.issues = [...ending.thrown.issues];
  }
  if (error) report.error = { ...error, hint: hintFor(error) };
  report.summary = summarize(report, ending, totalMs);
}
