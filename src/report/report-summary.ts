import { InputError, isTaskError } from '../errors.js';
import { redact } from '../redact.js';
import { hintFor } from './hint-for.js';
import type { TestReport, TestReportLimits } from './test-report.js';

function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/**
 * The report's one-line summary, by its outcome.
 * @example
 * report.summary = reportSummary(report, 200, 12) // 'success: 200 in 12 ms, 5 B in 1 chunk(s)'
 */
export function reportSummary(report: TestReport, statusCode: number | undefined, totalMs: number): string {
  const { error } = report;
  const size = report.response ? `${report.response.bytes} B in ${report.response.chunks} chunk(s)` : '';
  switch (report.outcome) {
    case 'success':
      return `success: ${statusCode ?? '-'} in ${formatMs(totalMs)}, ${size}`;
    case 'dry-run':
      return `dry run: ${statusCode}, parameters and permission checked, nothing ran`;
    case 'function-error':
      return `function error ${error?.functionErrorCode}: ${error?.message} (after ${formatMs(totalMs)}, ${size})`;
    case 'invalid-input':
      return `invalid input: ${error?.code}: ${error?.message}; nothing was sent`;
    case 'failed': {
      const where = [statusCode, error?.awsErrorType].filter((x) => x !== undefined).join(' ');
      return `failed: ${error?.code}${where ? ` (${where})` : ''}: ${error?.message}`;
    }
  }
}

/**
 * The report of a Test request that could not run at all: an input error (nothing was sent) or an
 * unexpected failure, with its hint.
 * @example
 * return failureReport(thrown, DEFAULT_REPORT_LIMITS)
 */
export function failureReport(thrown: unknown, limits: TestReportLimits): TestReport {
  const invalid = thrown instanceof InputError;
  const base = isTaskError(thrown)
    ? { code: thrown.code, message: thrown.message, retryable: thrown.retryable }
    : {
        code: 'UNEXPECTED',
        message: thrown instanceof Error ? thrown.message : String(thrown),
        retryable: false,
      };
  const report: TestReport = {
    outcome: invalid ? 'invalid-input' : 'failed',
    summary: '',
    ...(invalid && thrown.issues.length > 0 ? { issues: [...thrown.issues] } : {}),
    error: { ...base, hint: hintFor(base) },
    retries: [],
    limits,
  };
  report.summary = reportSummary(report, undefined, 0);
  return redact(report);
}
