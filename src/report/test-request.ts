/**
 * Test request: run the configured call once and describe it for a person (and a designer UI).
 * Orchestration only: validation, the executor (chunked, with an observer so each event is timed)
 * and the report model meet here; previews, hints, the curl command and rendering live in src/report/.
 */

import type { LoadedManifest } from '../definition/loaded-manifest.js';
import { InputError, isTaskError } from '../errors.js';
import type { ExecuteContext, ExecutionObserver, Executor } from '../execute/types.js';
import { createExecutor, defaultExecutor } from '../execute.js';
import type { CompleteEvent, ErrorEvent, StartEvent } from '../generated/output-event.js';
import type { TaskInput } from '../generated/task-input.js';
import { redact } from '../redact.js';
import { validateInput } from '../validation/validate-input.js';
import { curlCommand } from './curl-command.js';
import { hintFor } from './hint-for.js';
import { preview } from './preview.js';
import { redactReport } from './redact-report.js';
import { failureReport, reportSummary } from './report-summary.js';
import {
  DEFAULT_REPORT_LIMITS,
  type TestReport,
  type TestReportError,
  type TestReportEvent,
  type TestReportLimits,
} from './test-report.js';

/** Options of {@link testRequest} beyond the execution context. */
export interface TestRequestOptions {
  /** The definition: a manifest path or a loaded definition (default: the package's). */
  manifest?: string | LoadedManifest;
  /** Override the report caps (see `DEFAULT_REPORT_LIMITS`). */
  limits?: Partial<TestReportLimits>;
}

function flattenHeaders(headers: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
}

/**
 * Run the call described by `input` once and report on it: validation issues (nothing sent), or the
 * request as sent (secrets redacted, plus an equivalent `curl --aws-sigv4` command), the response and
 * each event with its arrival time, the output preview, the tail log, and for a failure a hint on the
 * likely fix. `X-Amz-Invocation-Type: DryRun` checks parameters and permission without running.
 * Never throws, for a failed call or an input of any shape: the failure is in the report.
 * @example
 * const report = await testRequest({ path: { FunctionName: 'echo' }, body: { Payload: { hi: 1 } } }, { credentials })
 * console.log(report.summary)
 */
export async function testRequest(
  input: unknown,
  context: ExecuteContext = {},
  options: TestRequestOptions = {},
): Promise<TestReport> {
  try {
    return await runTestRequest(input, context, options);
  } catch (thrown) {
    // Documented never to throw: whatever escaped (a hostile input read a second time, a broken
    // definition) becomes the report's error.
    return failureReport(thrown, { ...DEFAULT_REPORT_LIMITS, ...options.limits });
  }
}

async function runTestRequest(
  input: unknown,
  context: ExecuteContext,
  options: TestRequestOptions,
): Promise<TestReport> {
  const limits: TestReportLimits = { ...DEFAULT_REPORT_LIMITS, ...options.limits };
  const retries: TestReport['retries'] = [];
  const executor: Executor =
    options.manifest === undefined ? defaultExecutor : createExecutor({ manifest: options.manifest });
  const { plan } = executor.manifest;
  const issues = validateInput(input, executor.manifest);
  if (issues.length > 0) {
    return redact({
      outcome: 'invalid-input',
      summary: `invalid input, ${issues.length} issue(s); nothing was sent`,
      issues: [...issues],
      retries,
      limits,
    });
  }
  const task = input as TaskInput;
  const now = context.now ?? Date.now;
  const startedAt = now();

  // Each attempt restarts what the report describes: only the attempt that answered is shown.
  let request: Parameters<NonNullable<ExecutionObserver['onRequest']>>[0] | undefined;
  let response: Parameters<NonNullable<ExecutionObserver['onResponse']>>[0] | undefined;
  let events: TestReportEvent[] = [];
  let omitted = 0;
  let seq = 0;
  let payload: Uint8Array[] = [];
  let kept = 0;
  const user = context.observer;
  const observer: ExecutionObserver = {
    onRequest(r) {
      request = r;
      response = undefined;
      events = [];
      omitted = 0;
      seq = 0;
      payload = [];
      kept = 0;
      user?.onRequest?.(r);
    },
    onResponse(r) {
      response = r;
      user?.onResponse?.(r);
    },
    onMessage(m) {
      seq += 1;
      if (events.length < limits.maxEvents || m.role !== 'chunk') {
        events.push({
          seq,
          eventType: m.eventType,
          messageType: m.messageType,
          role: m.role,
          size: m.payload.length,
          wireBytes: m.size,
          elapsedMs: m.elapsedMs,
          preview: preview(m.payload, limits.maxEventPreviewBytes),
        });
      } else omitted += 1;
      user?.onMessage?.(m);
    },
    onRetry(r) {
      retries.push({ attempt: r.attempt, delayMs: r.delayMs, code: r.error.code });
      user?.onRetry?.(r);
    },
  };

  // Chunked internally, raw bytes (base64), so each event is timed and previews are exact.
  const streamInput = {
    ...task,
    settings: {
      ...task.settings,
      [plan.settingNames.outputMode]: 'chunked',
      outputEncoding: 'base64',
      framing: 'chunk',
    },
  };
  let start: StartEvent | undefined;
  let complete: CompleteEvent | undefined;
  let failure: ErrorEvent | undefined;
  let thrown: unknown;
  try {
    for await (const event of executor.invokeStream(streamInput, { ...context, observer })) {
      if (event.type === 'chunk' && kept < limits.maxPreviewBytes) {
        const piece = Buffer.from(event.data, 'base64').subarray(0, limits.maxPreviewBytes - kept);
        payload.push(piece);
        kept += piece.length;
      } else if (event.type === 'start') start = event;
      else if (event.type === 'complete') complete = event;
      else if (event.type === 'error') failure = event;
    }
  } catch (error) {
    thrown = error;
  }
  const totalMs = complete?.totalMs ?? now() - startedAt;

  const report: TestReport = { outcome: 'success', summary: '', retries, limits };
  if (thrown instanceof InputError) {
    report.outcome = 'invalid-input';
    if (thrown.issues.length > 0) report.issues = [...thrown.issues];
  }
  if (request) {
    report.request = {
      method: request.method,
      url: request.url,
      headers: redact(request.headers),
      body: preview(request.body, limits.maxPreviewBytes),
      attempts: request.attempt,
      curl: redact(curlCommand(plan, { url: request.url, headers: request.headers, body: request.body })),
    };
  }
  const statusCode = complete?.statusCode ?? start?.statusCode ?? failure?.statusCode ?? response?.statusCode;
  if (request && (response || start || complete || failure)) {
    const bytes = complete?.bytes ?? events.filter((e) => e.role === 'chunk').reduce((n, e) => n + e.size, 0);
    const ttfb = complete?.timeToFirstByteMs ?? response?.elapsedMs;
    report.response = {
      ...(statusCode === undefined ? {} : { statusCode }),
      headers: response ? flattenHeaders(response.headers) : {},
      events,
      eventsOmitted: omitted,
      ...(ttfb === undefined ? {} : { timeToFirstByteMs: ttfb }),
      totalMs,
      bytes,
      chunks: complete?.chunks ?? events.filter((e) => e.role === 'chunk').length + omitted,
      ...(totalMs > 0 && bytes > 0 ? { throughputBytesPerSecond: Math.round((bytes * 1000) / totalMs) } : {}),
    };
  }
  if (complete) {
    const bytes = Buffer.concat(payload);
    const shown = preview(bytes, limits.maxPreviewBytes, complete.bytes);
    let payloadEncoding: 'json' | 'utf8' | 'binary' | 'none' = shown.text === undefined ? 'binary' : 'utf8';
    if (complete.bytes === 0) payloadEncoding = 'none';
    else if (!shown.truncated && shown.text !== undefined) {
      try {
        JSON.parse(shown.text);
        payloadEncoding = 'json';
      } catch {
        // plain text
      }
    }
    report.output = {
      ...(complete.executedVersion === undefined ? {} : { executedVersion: complete.executedVersion }),
      ...(complete.requestId === undefined ? {} : { requestId: complete.requestId }),
      ...(complete.contentType === undefined ? {} : { contentType: complete.contentType }),
      payloadEncoding,
      preview: shown,
    };
    if (complete.logResult !== undefined) {
      const log = Buffer.from(complete.logResult, 'utf8');
      const truncated = log.length > limits.maxLogBytes;
      const tail = truncated
        ? log
            .subarray(log.length - limits.maxLogBytes)
            .toString('utf8')
            .replace(/^\uFFFD+/, '')
        : complete.logResult;
      report.log = { text: tail, truncated };
    }
  }

  let error: Omit<TestReportError, 'hint'> | undefined;
  if (complete?.functionError) {
    report.outcome = 'function-error';
    error = {
      code: 'FUNCTION_ERROR',
      message: complete.functionError.errorDetails ?? complete.functionError.errorCode,
      retryable: false,
      functionErrorCode: complete.functionError.errorCode,
    };
  } else if (failure) {
    report.outcome = 'failed';
    error = {
      code: failure.code,
      message: failure.message,
      retryable: failure.retryable,
      ...(failure.statusCode === undefined ? {} : { statusCode: failure.statusCode }),
      ...(failure.awsErrorType === undefined ? {} : { awsErrorType: failure.awsErrorType }),
      ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
    };
  } else if (thrown !== undefined) {
    if (report.outcome !== 'invalid-input') report.outcome = 'failed';
    error = isTaskError(thrown)
      ? { code: thrown.code, message: thrown.message, retryable: thrown.retryable }
      : {
          code: 'UNEXPECTED',
          message: thrown instanceof Error ? thrown.message : String(thrown),
          retryable: false,
        };
  } else if (statusCode !== undefined && plan.response.emptyBodyStatus.has(statusCode)) {
    report.outcome = 'dry-run';
  } else if (!complete) {
    report.outcome = 'failed';
    error = {
      code: 'STREAM_INCOMPLETE',
      message: 'The call ended without a complete event',
      retryable: true,
    };
  }
  if (error) report.error = { ...error, hint: hintFor(error) };

  report.summary = reportSummary(report, statusCode, totalMs);
  return redactReport(report);
}
