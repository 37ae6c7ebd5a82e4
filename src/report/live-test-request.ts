/**
 * Test request, live: the call's request, response headers, prelude, each chunk and its ending as
 * they happen, then the report. The executor runs chunked with an observer; what the observer hears
 * between two output events (the request before any byte came back, the prelude) is handed out as
 * soon as it is heard, not when the next output event arrives.
 */

import type { CallPlan } from '../definition/call-plan.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import { TransportError } from '../errors.js';
import type { ExecuteContext, ExecutionObserver } from '../execute/types.js';
import { createExecutor, defaultExecutor } from '../execute.js';
import type { OutputEvent } from '../generated/output-event.js';
import { chunkBytes } from '../output/chunk-bytes.js';
import type { LiveTestEvent } from './live-test-event.js';
import { preview } from './preview.js';
import { redactKeepingCurl } from './redact-keeping-curl.js';
import { redactPreview } from './redact-report.js';
import { DEFAULT_REPORT_LIMITS, type TestReportLimits } from './test-report.js';
import { describeRequest, flattenHeaders, TestReportBuilder } from './test-report-builder.js';

/** Options of {@link testRequestLive} and `testRequest` beyond the execution context. */
export interface TestRequestOptions {
  /** Override the report caps (see `DEFAULT_REPORT_LIMITS`). */
  limits?: Partial<TestReportLimits>;
  /** The definition: a manifest path or a loaded definition (default: the package's). */
  manifest?: string | LoadedManifest;
}

/** Events heard by the observer, waiting to be handed out, and a wake-up for whoever waits on them. */
class Mailbox {
  private items: LiveTestEvent[] = [];
  private wake: (() => void) | undefined;

  push(event: LiveTestEvent): void {
    this.items.push(event);
    this.wake?.();
    this.wake = undefined;
  }

  take(): LiveTestEvent[] {
    const out = this.items;
    this.items = [];
    return out;
  }

  /** Resolves with `undefined` once something is waiting to be taken. */
  arrival(): Promise<undefined> {
    if (this.items.length > 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.wake = () => resolve(undefined);
    });
  }
}

function cancelled(signal: AbortSignal): TransportError {
  return new TransportError('ABORTED', 'The call was cancelled', { cause: signal.reason });
}

type Step = { result: IteratorResult<OutputEvent> } | { thrown: unknown };

/**
 * Test request always streams (raw bytes, one event per chunk), whatever the input asked for, so each
 * chunk is timed and previewed exactly. Anything but an object is passed on for the executor to refuse.
 */
function streamingInput(plan: CallPlan, input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  try {
    const { settings = {} } = input as { settings?: unknown };
    if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return input;
    return {
      ...input,
      settings: {
        ...settings,
        [plan.settingNames.outputMode]: 'chunked',
        outputEncoding: 'base64',
        framing: 'chunk',
      },
    };
  } catch {
    // A property that throws when read: validation refuses the input as it is, with an InputError.
    return input;
  }
}

/** Observer hooks that post what they hear to the mailbox, then call the host's own hooks. */
function liveObserver(
  box: Mailbox,
  builder: TestReportBuilder,
  state: { responded: boolean },
  user: ExecutionObserver | undefined,
): ExecutionObserver {
  return {
    onRequest(r) {
      state.responded = false;
      box.push({
        type: 'request',
        attempt: r.attempt,
        elapsedMs: builder.elapsedMs(),
        request: describeRequest(builder.plan, r, builder.limits),
      });
      user?.onRequest?.(r);
    },
    onResponse: (r) => user?.onResponse?.(r),
    onMessage: (m) => user?.onMessage?.(m),
    onPrelude(p) {
      box.push({ type: 'prelude', ...p });
      user?.onPrelude?.(p);
    },
    onRetry(r) {
      box.push({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, code: r.error.code });
      user?.onRetry?.(r);
    },
  };
}

/** The response event from what the headers said (the start event when the call succeeded). */
function responseEvent(builder: TestReportBuilder): LiveTestEvent | undefined {
  const { start, response } = builder;
  const statusCode = start?.statusCode ?? response?.statusCode;
  if (statusCode === undefined) return undefined;
  return {
    type: 'response',
    statusCode,
    headers: response ? flattenHeaders(response.headers) : {},
    ...(start?.executedVersion === undefined ? {} : { executedVersion: start.executedVersion }),
    ...(start?.requestId === undefined ? {} : { requestId: start.requestId }),
    ...(start?.contentType === undefined ? {} : { contentType: start.contentType }),
    elapsedMs: start?.elapsedMs ?? response?.elapsedMs ?? builder.elapsedMs(),
  };
}

function chunkEvent(event: Extract<OutputEvent, { type: 'chunk' }>, limits: TestReportLimits): LiveTestEvent {
  const bytes = Buffer.from(chunkBytes(event));
  return {
    type: 'chunk',
    seq: event.seq,
    size: event.size,
    bytes: event.offset + event.size,
    elapsedMs: event.elapsedMs,
    preview: redactPreview(preview(bytes, limits.maxEventPreviewBytes, event.size)),
  };
}

/** The last events: the ending (complete, or error with its hint) and the report. */
function* ending(builder: TestReportBuilder, responded: boolean): Generator<LiveTestEvent> {
  if (!responded) {
    const response = responseEvent(builder);
    if (response) yield response;
  }
  const report = builder.build();
  const { complete } = builder;
  if (report.error) yield { type: 'error', elapsedMs: builder.elapsedMs(), error: report.error };
  else if (complete) {
    const rate = report.response?.throughputBytesPerSecond;
    yield {
      type: 'complete',
      statusCode: complete.statusCode,
      bytes: complete.bytes,
      chunks: complete.chunks,
      ...(complete.timeToFirstByteMs === undefined ? {} : { timeToFirstByteMs: complete.timeToFirstByteMs }),
      ...(complete.timeToFirstChunkMs === undefined
        ? {}
        : { timeToFirstChunkMs: complete.timeToFirstChunkMs }),
      totalMs: complete.totalMs,
      ...(rate === undefined ? {} : { throughputBytesPerSecond: rate }),
    };
  }
  yield { type: 'report', report };
}

/**
 * Run the call described by `input` once and hand out what happens as it happens: `request` (redacted,
 * with the curl command), `response` at the headers, `prelude` for an HTTP-integration function, one
 * `chunk` per payload chunk, then `complete` or `error` (with its hint), and last always `report`
 * (the same report `testRequest` returns). Never throws: a failure is an `error` event. Aborting
 * `context.signal`, or leaving the loop early, closes the request.
 * @example
 * for await (const event of testRequestLive({ path: { FunctionName: 'tokens' } }, { signal })) {
 *   if (event.type === 'chunk') console.log(event.elapsedMs, event.preview.text)
 *   if (event.type === 'report') console.log(event.report.summary)
 * }
 */
export async function* testRequestLive(
  input: unknown,
  context: ExecuteContext = {},
  options: TestRequestOptions = {},
): AsyncGenerator<LiveTestEvent, void, undefined> {
  const limits: TestReportLimits = { ...DEFAULT_REPORT_LIMITS, ...options.limits };
  const now = context.now ?? Date.now;
  const executor =
    options.manifest === undefined ? defaultExecutor : createExecutor({ manifest: options.manifest });
  const builder = new TestReportBuilder(executor.manifest.plan, limits, now, now());
  const box = new Mailbox();
  const state = { responded: false };
  // Our own signal too: a consumer that stops early must not leave the socket open.
  const stop = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, stop.signal]) : stop.signal;
  const observer = builder.observer(liveObserver(box, builder, state, context.observer));
  const run = executor.invokeStream(streamingInput(executor.manifest.plan, input), {
    ...context,
    signal,
    observer,
  });
  const iterator = run[Symbol.asyncIterator]();
  let pending: Promise<Step> | undefined;
  let ended = false;
  try {
    for (;;) {
      for (const event of box.take()) yield redactKeepingCurl(event);
      pending ??= iterator.next().then(
        (result) => ({ result }),
        (thrown: unknown) => ({ thrown }),
      );
      const step = await Promise.race([pending, box.arrival()]);
      if (step === undefined) continue;
      pending = undefined;
      // What the observer heard while producing this output event comes first.
      for (const event of box.take()) yield redactKeepingCurl(event);
      if ('thrown' in step || step.result.done) {
        ended = true;
        if ('thrown' in step) builder.thrown = step.thrown;
        // The executor ends a cancelled stream quietly; the report says it was cancelled.
        else if (!builder.complete && !builder.failure && signal.aborted) builder.thrown = cancelled(signal);
        break;
      }
      const event = step.result.value;
      builder.onOutput(event);
      if (event.type === 'start') {
        state.responded = true;
        const response = responseEvent(builder);
        if (response) yield redactKeepingCurl(response);
      } else if (event.type === 'chunk') yield redactKeepingCurl(chunkEvent(event, limits));
    }
    // The report is built redacted (redactReport): only the events made beside it pass through here.
    for (const event of ending(builder, state.responded))
      yield event.type === 'report' ? event : redactKeepingCurl(event);
  } finally {
    if (!ended) {
      stop.abort(new Error('The Test request was left before it ended'));
      if (pending !== undefined) await pending;
      await iterator.return?.();
    }
  }
}
