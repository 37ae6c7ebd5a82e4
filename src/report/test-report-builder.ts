/**
 * Gathers what a Test request sees (the executor's observer hooks and its chunked output events) and
 * builds the {@link TestReport} from it. The live form and the one-shot form both feed one of these,
 * so the report is the same whichever a host uses.
 */
import type { CallPlan } from '../definition/call-plan.js';
import type { ExecutionObserver } from '../execute/types.js';
import type { CompleteEvent, ErrorEvent, OutputEvent, StartEvent } from '../generated/output-event.js';
import { chunkBytes } from '../output/chunk-bytes.js';
import { redact } from '../redact.js';
import { curlCommand } from './curl-command.js';
import { preview } from './preview.js';
import { redactReport } from './redact-report.js';
import { applyOutcome } from './report-outcome.js';
import type {
  TestReport,
  TestReportEvent,
  TestReportLimits,
  TestReportOutput,
  TestReportRequest,
  TestReportResponse,
} from './test-report.js';

type SentRequest = Parameters<NonNullable<ExecutionObserver['onRequest']>>[0];
type SeenResponse = Parameters<NonNullable<ExecutionObserver['onResponse']>>[0];
type SeenMessage = Parameters<NonNullable<ExecutionObserver['onMessage']>>[0];

/** Response headers as one string each (repeated headers joined as HTTP allows). */
export function flattenHeaders(headers: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
}

/**
 * The request as a report shows it: headers redacted, body previewed, the equivalent curl command.
 * @example
 * describeRequest(manifest.plan, sent, DEFAULT_REPORT_LIMITS).curl.command
 */
export function describeRequest(
  plan: CallPlan,
  request: SentRequest,
  limits: TestReportLimits,
): TestReportRequest {
  return {
    method: request.method,
    url: request.url,
    headers: redact(request.headers),
    body: preview(request.body, limits.maxPreviewBytes),
    attempts: request.attempt,
    curl: curlCommand(plan, { url: request.url, headers: request.headers, body: request.body }),
  };
}

function payloadEncoding(
  shown: TestReportOutput['preview'],
  bytes: number,
): TestReportOutput['payloadEncoding'] {
  if (bytes === 0) return 'none';
  if (shown.text === undefined) return 'binary';
  if (shown.truncated) return 'utf8';
  try {
    JSON.parse(shown.text);
    return 'json';
  } catch {
    return 'utf8';
  }
}

/**
 * Collects one Test request's facts and turns them into its report.
 * @example
 * const builder = new TestReportBuilder(executor.manifest.plan, limits, now, now());
 * for await (const e of invokeStream(input, { observer: builder.observer() })) builder.onOutput(e);
 * const report = builder.build();
 */
export class TestReportBuilder {
  // Each attempt restarts what the report describes: only the attempt that answered is shown.
  request: SentRequest | undefined;
  response: SeenResponse | undefined;
  start: StartEvent | undefined;
  complete: CompleteEvent | undefined;
  failure: ErrorEvent | undefined;
  thrown: unknown;
  private events: TestReportEvent[] = [];
  private omitted = 0;
  private seq = 0;
  private payload: Uint8Array[] = [];
  private kept = 0;
  private readonly retries: TestReport['retries'] = [];

  constructor(
    readonly plan: CallPlan,
    readonly limits: TestReportLimits,
    private readonly now: () => number,
    private readonly startedAt: number,
  ) {}

  /** Hooks for the executor, calling `user`'s own hooks after recording. */
  observer(user: ExecutionObserver | undefined): ExecutionObserver {
    return {
      onRequest: (r) => {
        this.request = r;
        this.response = undefined;
        this.events = [];
        this.omitted = 0;
        this.seq = 0;
        this.payload = [];
        this.kept = 0;
        user?.onRequest?.(r);
      },
      onResponse: (r) => {
        this.response = r;
        user?.onResponse?.(r);
      },
      onMessage: (m) => {
        this.onMessage(m);
        user?.onMessage?.(m);
      },
      onPrelude: (p) => user?.onPrelude?.(p),
      onRetry: (r) => {
        this.retries.push({ attempt: r.attempt, delayMs: r.delayMs, code: r.error.code });
        user?.onRetry?.(r);
      },
    };
  }

  private onMessage(m: SeenMessage): void {
    const { limits } = this;
    this.seq += 1;
    const isChunk = m.role === 'chunk';
    if (this.events.length < limits.maxEvents || !isChunk) {
      this.events.push({
        seq: this.seq,
        eventType: m.eventType,
        messageType: m.messageType,
        role: m.role,
        size: m.payload.length,
        wireBytes: m.size,
        elapsedMs: m.elapsedMs,
        preview: preview(m.payload, limits.maxEventPreviewBytes),
      });
    } else this.omitted += 1;
  }

  /** Record one output event of the executor's chunked stream (its chunks are the payload, prelude removed). */
  onOutput(event: OutputEvent): void {
    if (event.type === 'start') this.start = event;
    else if (event.type === 'complete') this.complete = event;
    else if (event.type === 'error') this.failure = event;
    else if (event.type === 'chunk' && this.kept < this.limits.maxPreviewBytes) {
      const bytes = chunkBytes(event);
      const piece = bytes.subarray(0, this.limits.maxPreviewBytes - this.kept);
      this.payload.push(piece);
      this.kept += piece.length;
    }
  }

  /** The status the call ended with, from whichever event knew it. */
  statusCode(): number | undefined {
    return (
      this.complete?.statusCode ??
      this.start?.statusCode ??
      this.failure?.statusCode ??
      this.response?.statusCode
    );
  }

  /** Milliseconds since the request started, as the executor counts them. */
  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  private describeResponse(totalMs: number): TestReportResponse {
    const { complete, response, events } = this;
    const chunks = events.filter((e) => e.role === 'chunk');
    const bytes = complete?.bytes ?? chunks.reduce((n, e) => n + e.size, 0);
    const ttfb = complete?.timeToFirstByteMs ?? response?.elapsedMs;
    const statusCode = this.statusCode();
    return {
      ...(statusCode === undefined ? {} : { statusCode }),
      headers: response ? flattenHeaders(response.headers) : {},
      events,
      eventsOmitted: this.omitted,
      ...(ttfb === undefined ? {} : { timeToFirstByteMs: ttfb }),
      totalMs,
      bytes,
      chunks: complete?.chunks ?? chunks.length + this.omitted,
      ...(totalMs > 0 && bytes > 0 ? { throughputBytesPerSecond: Math.round((bytes * 1000) / totalMs) } : {}),
    };
  }

  private describeOutput(complete: CompleteEvent): TestReportOutput {
    const shown = preview(Buffer.concat(this.payload), this.limits.maxPreviewBytes, complete.bytes);
    return {
      ...(complete.executedVersion === undefined ? {} : { executedVersion: complete.executedVersion }),
      ...(complete.requestId === undefined ? {} : { requestId: complete.requestId }),
      ...(complete.contentType === undefined ? {} : { contentType: complete.contentType }),
      ...(complete.httpResponse === undefined ? {} : { httpResponse: complete.httpResponse }),
      payloadEncoding: payloadEncoding(shown, complete.bytes),
      preview: shown,
    };
  }

  private describeLog(logResult: string): NonNullable<TestReport['log']> {
    const log = Buffer.from(logResult, 'utf8');
    const max = this.limits.maxLogBytes;
    if (log.length <= max) return { text: logResult, truncated: false };
    // Its end is what matters (the REPORT line); a character cut at the start is dropped.
    const tail = log.subarray(log.length - max).toString('utf8');
    return { text: tail.replace(/^\uFFFD+/, ''), truncated: true };
  }

  /** The report (redacted) of what has been seen. */
  build(): TestReport {
    const { request, complete } = this;
    const totalMs = complete?.totalMs ?? this.elapsedMs();
    const report: TestReport = {
      outcome: 'success',
      summary: '',
      retries: this.retries,
      limits: this.limits,
    };
    if (request) report.request = describeRequest(this.plan, request, this.limits);
    if (request && (this.response || this.start || complete || this.failure)) {
      report.response = this.describeResponse(totalMs);
    }
    if (complete) {
      report.output = this.describeOutput(complete);
      if (complete.logResult !== undefined) report.log = this.describeLog(complete.logResult);
    }
    const statusCode = this.statusCode();
    applyOutcome(
      report,
      {
        statusCode,
        complete,
        failure: this.failure,
        thrown: this.thrown,
        emptyBody: statusCode !== undefined && this.plan.response.emptyBodyStatus.has(statusCode),
      },
      totalMs,
    );
    return redactReport(report);
  }
}
