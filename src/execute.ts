/**
 * The executor: orchestration only. Validate → build the request → resolve credentials → sign →
 * send (with retries while nothing has gone downstream) → decode the event stream → aggregated
 * result or chunked events. Each step lives in its own module; this file composes them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type LoadedManifest, loadManifest } from './definition/index.js';
import {
  InputError,
  isTaskError,
  OutputError,
  ServiceError,
  StreamError,
  TaskError,
  TransportError,
} from './errors.js';
import type { ResponseEventsDefinition, StreamEvent } from './eventstream/decode-events.js';
import { EventDecoder } from './eventstream/event-decoder.js';
import type { AggregatedResult } from './generated/output-aggregated.js';
import type { CompleteEvent, ErrorEvent, OutputEvent, StartEvent } from './generated/output-event.js';
import { redactingLogger, type TaskLogger } from './logger.js';
import { ChunkEventEncoder } from './output/chunk-event-encoder.js';
import { flattenBatches } from './output/flatten-batches.js';
import {
  delimiterFromHex,
  type HttpIntegrationResponse,
  PreludeSplitter,
} from './output/http-integration-prelude.js';
import { PayloadCollector } from './output/payload-collector.js';
import {
  decodeLogResult,
  logTail,
  mediaType,
  type ResponseSummary,
  summarizeResponse,
} from './output/response-summary.js';
import { buildRequest, type PlainRequest, requestTarget } from './request/build-request.js';
import { errorRetryClassifier } from './request/error-retry-classifier.js';
import { resolveEndpoint } from './request/resolve-endpoint.js';
import { resolveRegion } from './request/resolve-region.js';
import { type RunSettings, runSettings } from './request/run-settings.js';
import { ClockOffsets } from './signing/clock-skew.js';
import {
  type AwsCredentials,
  type AwsCredentialsProvider,
  CachedCredentials,
  checkCredentials,
  defaultChainProvider,
} from './signing/credentials.js';
import { signRequest } from './signing/sign-request.js';
import { type AgentPool, defaultAgentPool } from './transport/agent-pool.js';
import { retryDelay, sleep } from './transport/retry-delay.js';
import { type ResponseBody, sendRequest, type TransportResponse } from './transport/send-request.js';
import { type ResolvedTaskInput, withDefaults } from './validation/validate-input.js';

export type { TaskLogger } from './logger.js';
export type { AwsCredentials, AwsCredentialsProvider } from './signing/credentials.js';

/**
 * Hooks that see the call as it happens (Test request builds its report on them). Values are
 * NOT redacted: an observer that prints must pass them through `redact()`.
 */
export interface ExecutionObserver {
  onRequest?(r: {
    attempt: number;
    method: string;
    url: string;
    headers: Record<string, string>;
    body: Uint8Array;
  }): void;
  onResponse?(r: {
    attempt: number;
    statusCode: number;
    headers: Record<string, string | string[]>;
    elapsedMs: number;
  }): void;
  onMessage?(m: {
    eventType: string;
    messageType: string;
    size: number;
    elapsedMs: number;
    payload: Uint8Array;
  }): void;
  /** The HTTP-integration prelude has been read (before the payload that follows it). */
  onPrelude?(p: HttpIntegrationResponse & { elapsedMs: number }): void;
  onRetry?(r: { attempt: number; delayMs: number; error: TaskError }): void;
}

/** What the host passes with each call. Everything is optional. */
export interface ExecuteContext {
  /** Cancels the call: the socket is closed at once. */
  signal?: AbortSignal | undefined;
  logger?: TaskLogger | undefined;
  /** Credentials (or a provider of them) from the host; else `settings.credentials`; else the AWS chain. */
  credentials?: AwsCredentials | AwsCredentialsProvider | undefined;
  /** The environment to read (`AWS_REGION`, `AWS_ENDPOINT_URL*`, proxies…); default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Where relative `file://` payload paths start; default `process.cwd()`. */
  cwd?: string | undefined;
  /**
   * Confine `file://` payloads to this folder (links followed): an engine that runs inputs written
   * by its users sets it so a workflow cannot send `/etc/passwd`. Unset, any readable file may be
   * sent, as with the AWS CLI's `file://`.
   */
  payloadRoot?: string | undefined;
  /** Wall clock in ms (signing time, timings); default `Date.now`. */
  now?: (() => number) | undefined;
  /** Randomness in [0, 1) for retry jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  observer?: ExecutionObserver | undefined;
}

/** The result of {@link execute}, by output mode. */
export type ExecuteOutput =
  | { mode: 'aggregated'; result: AggregatedResult }
  | { mode: 'chunked'; events: AsyncIterable<OutputEvent> };

/** Options of an executor instance. */
export interface ExecutorOptions {
  /** Connection pool (default: the process-wide keep-alive pool). */
  pool?: AgentPool;
  /**
   * The definition: a manifest file's path or a definition already loaded with `loadManifest()`
   * (default: the package's manifest.json, InvokeWithResponseStream).
   */
  manifest?: string | LoadedManifest;
}

/** An executor: its own credential cache and clock offsets, sharing or owning a connection pool. */
export interface Executor {
  /** The definition this executor runs. */
  readonly manifest: LoadedManifest;
  execute(input: unknown, context?: ExecuteContext): Promise<ExecuteOutput>;
  invoke(input: unknown, context?: ExecuteContext): Promise<AggregatedResult>;
  invokeStream(input: unknown, context?: ExecuteContext): AsyncIterable<OutputEvent>;
}

/** Everything a call needs once its input has been checked; built before any I/O. */
interface PreparedCall {
  manifest: LoadedManifest;
  settings: RunSettings;
  request: PlainRequest;
  region: string;
  credentials: () => Promise<AwsCredentials>;
  context: {
    now: () => number;
    random: () => number;
    env: Readonly<Record<string, string | undefined>>;
    signal: AbortSignal | undefined;
    observer: ExecutionObserver | undefined;
  };
  logger: TaskLogger;
  startedAt: number;
}

/** What the completion event said (and the HTTP-integration prelude, when there was one). */
interface Completion {
  errorCode?: string;
  errorDetails?: string;
  logResult?: string;
  httpResponse?: HttpIntegrationResponse;
}

/** The payload pieces of one read of the body, and the completion when it came in that read. */
interface PayloadBatch {
  elapsedMs: number;
  chunks: Uint8Array[];
  complete?: Completion;
}

/** A response whose body is still to be read, with what was learned at its headers. */
interface OpenResponse {
  response: TransportResponse;
  summary: ResponseSummary;
  timeToFirstByteMs: number;
  attempt: number;
}

function eventsDefinition(manifest: LoadedManifest): ResponseEventsDefinition {
  if (manifest.response.kind !== 'eventstream') {
    throw new InputError('INVALID_INPUT', 'This definition has no event-stream response');
  }
  const { events } = manifest.response;
  return {
    chunkEventType: events.chunk.eventType,
    completeEventType: events.complete.eventType,
    errorCodeField: events.complete.fields.errorCode,
    errorDetailsField: events.complete.fields.errorDetails,
    logResultField: events.complete.fields.logResult,
  };
}

/** The output mode an input asks for, read before validation (which the chosen path runs). */
function requestedMode(input: unknown): unknown {
  const settings = (input as { settings?: unknown } | null | undefined)?.settings;
  return settings !== null && typeof settings === 'object'
    ? (settings as { outputMode?: unknown }).outputMode
    : undefined;
}

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
  return out;
}

/** The same error, carrying how many chunks reached the consumer; a dropped connection mid-stream is `STREAM_INTERRUPTED`. */
function afterDelivery(error: unknown, chunksDelivered: number): TaskError {
  if (!isTaskError(error)) {
    return new StreamError('STREAM_MALFORMED', `The stream failed: ${String(error)}`, {
      cause: error,
      chunksDelivered,
    });
  }
  if (error.code === 'CONNECTION_FAILED' && chunksDelivered > 0) {
    return new StreamError(
      'STREAM_INTERRUPTED',
      `The stream broke off after ${chunksDelivered} chunk(s) had been delivered: ${error.message}`,
      { cause: error, chunksDelivered },
    );
  }
  if (error instanceof InputError || error instanceof ServiceError || !(error instanceof TaskError))
    return error;
  const Kind =
    error instanceof TransportError
      ? TransportError
      : error instanceof OutputError
        ? OutputError
        : StreamError;
  return new Kind(error.code, error.message, {
    cause: error.cause,
    retryable: error.retryable,
    chunksDelivered,
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

function errorEvent(error: TaskError, chunksDelivered: number): ErrorEvent {
  const event: ErrorEvent = {
    type: 'error',
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    chunksDelivered,
  };
  const facts = error as Partial<Record<'statusCode' | 'awsErrorType' | 'requestId', unknown>>;
  if (typeof facts.statusCode === 'number') event.statusCode = facts.statusCode;
  if (typeof facts.awsErrorType === 'string') event.awsErrorType = facts.awsErrorType;
  if (typeof facts.requestId === 'string') event.requestId = facts.requestId;
  return event;
}

/**
 * Create an executor with its own credential cache and clock offsets. The module-level
 * {@link execute}, {@link invoke} and {@link invokeStream} use a shared default one.
 * @example
 * const executor = createExecutor(); const result = await executor.invoke(input, { signal })
 */
export function createExecutor(options: ExecutorOptions = {}): Executor {
  const pool = options.pool ?? defaultAgentPool;
  const clocks = new ClockOffsets();
  const chainCache = new Map<string, CachedCredentials>();
  const providerCache = new WeakMap<AwsCredentialsProvider, CachedCredentials>();
  let manifestCache: LoadedManifest | undefined;
  const manifest = (): LoadedManifest => {
    manifestCache ??=
      typeof options.manifest === 'object' ? options.manifest : loadManifest(options.manifest);
    return manifestCache;
  };

  function credentialSource(
    input: ResolvedTaskInput,
    context: ExecuteContext,
  ): (nowMs: number) => Promise<AwsCredentials> {
    const given = context.credentials;
    if (typeof given === 'function') {
      const c = providerCache.get(given) ?? new CachedCredentials(given, 'context.credentials');
      providerCache.set(given, c);
      return (nowMs) => c.get(nowMs);
    }
    const fixed = given ?? input.settings?.credentials;
    if (fixed !== undefined) {
      const ok = checkCredentials(
        fixed,
        given === undefined ? 'settings.credentials' : 'context.credentials',
      );
      return () => Promise.resolve(ok);
    }
    const profile = input.settings?.profile;
    const key = profile ?? '';
    let cache = chainCache.get(key);
    if (!cache) {
      cache = new CachedCredentials(defaultChainProvider(profile), 'the AWS credential chain');
      chainCache.set(key, cache);
    }
    const c = cache;
    return (nowMs) => c.get(nowMs);
  }

  async function prepare(input: unknown, context: ExecuteContext): Promise<PreparedCall> {
    const now = context.now ?? Date.now;
    const startedAt = now();
    const env = context.env ?? process.env;
    const loaded = manifest();
    const valid = withDefaults(input, loaded);
    const settingsIn = valid.settings;
    const settings = runSettings(settingsIn, loaded.outputs.default);
    const region = resolveRegion({ settingsRegion: settingsIn?.region, profile: settingsIn?.profile, env });
    const endpoint = resolveEndpoint(loaded.operation.endpoint, {
      settingsEndpoint: settingsIn?.endpoint,
      useFips: settingsIn?.useFipsEndpoint,
      useDualStack: settingsIn?.useDualstackEndpoint,
      region,
      env,
    });
    const request = await buildRequest(
      loaded,
      valid,
      endpoint,
      context.cwd ?? process.cwd(),
      context.payloadRoot,
    );
    const source = credentialSource(valid, context);
    return {
      manifest: loaded,
      settings,
      request,
      region,
      credentials: () => source(now()),
      context: {
        now,
        random: context.random ?? Math.random,
        env,
        signal: context.signal,
        observer: context.observer,
      },
      logger: redactingLogger(context.logger),
      startedAt,
    };
  }

  /** Sign and send, retrying throttling, transient and connection failures (and clock skew once) before the response starts. */
  async function open(call: PreparedCall): Promise<OpenResponse> {
    const { request, settings, context, manifest: loaded } = call;
    const { now, signal, observer } = context;
    const origin = request.origin.origin;
    const target = requestTarget(request);
    const classify = errorRetryClassifier(loaded);
    const responseHeaders = loaded.response.headers;
    let skewRetried = false;
    let retries = 0;
    for (let attempt = 1; ; attempt++) {
      const credentials = await call.credentials();
      const headers = await signRequest(
        {
          method: request.method,
          protocol: request.origin.protocol,
          hostname: request.origin.hostname,
          port: request.origin.port ? Number(request.origin.port) : undefined,
          pathname: request.pathname,
          query: request.query,
          headers: request.headers,
          body: request.body,
        },
        {
          credentials,
          region: call.region,
          service: loaded.auth.signingName,
          signingDate: new Date(now() + clocks.get(origin)),
        },
      );
      observer?.onRequest?.({
        attempt,
        method: request.method,
        url: `${origin}${target}`,
        headers,
        body: request.body,
      });
      let headersAt = 0;
      try {
        const response = await sendRequest(
          { method: request.method, origin: request.origin, target, headers, body: request.body },
          {
            timeouts: settings.timeouts,
            signal,
            env: context.env,
            pool,
            now,
            requestIdHeaders: responseHeaders.requestId,
            classifyError: classify,
            onResponseHeaders: (statusCode, raw) => {
              headersAt = now();
              observer?.onResponse?.({
                attempt,
                statusCode,
                headers: plainHeaders(raw),
                elapsedMs: headersAt - call.startedAt,
              });
            },
          },
        );
        return {
          response,
          summary: summarizeResponse(response.statusCode, response.headers, responseHeaders),
          timeToFirstByteMs: headersAt - call.startedAt,
          attempt,
        };
      } catch (thrown) {
        // node:http throws plain errors for requests it cannot even write (an invalid header value,
        // say): report them in the family, never as a raw TypeError.
        const error = isTaskError(thrown)
          ? thrown
          : new TransportError(
              'CONNECTION_FAILED',
              `The request could not be sent: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
              { cause: thrown },
            );
        const offset = error.details?.clockOffsetMs;
        if (error.code === 'CLOCK_SKEW' && typeof offset === 'number' && !skewRetried) {
          skewRetried = true;
          clocks.set(origin, offset);
          call.logger.warn('Clock skew: signing again with the service clock', { offsetMs: offset });
          observer?.onRetry?.({ attempt, delayMs: 0, error });
          continue;
        }
        retries++;
        if (!error.retryable || retries >= settings.retry.maxAttempts) throw error;
        const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
        const delayMs = retryDelay(retries, settings.retry, context.random, retryAfter);
        if (delayMs === undefined) throw error;
        call.logger.info(`Retrying after ${error.code}`, { attempt, delayMs, code: error.code });
        observer?.onRetry?.({ attempt, delayMs, error });
        await sleep(
          delayMs,
          signal,
          () => new TransportError('ABORTED', 'The call was cancelled', { cause: signal?.reason }),
        );
      }
    }
  }

  /**
   * The stream's payload pieces (HTTP-integration prelude removed) and its completion, one batch per
   * read of the body: every message of a read is framed, checked and decoded synchronously, so the
   * async hops are per read, not per message (the socket is still read only when a batch is pulled).
   */
  async function* payload(
    call: PreparedCall,
    opened: OpenResponse,
    body: ResponseBody,
  ): AsyncGenerator<PayloadBatch, void> {
    const { manifest: loaded, context } = call;
    const { now, observer } = context;
    if (loaded.response.kind !== 'eventstream') return;
    if (loaded.response.emptyBodyStatus.includes(opened.summary.statusCode)) {
      for await (const _ of body) {
        // An empty-body answer (DryRun): drain so the connection can be reused.
      }
      yield { elapsedMs: now() - call.startedAt, chunks: [], complete: {} };
      return;
    }
    const integration = loaded.response.httpIntegration;
    const prelude =
      integration !== undefined &&
      mediaType(opened.summary.contentType) === integration.contentType.toLowerCase()
        ? new PreludeSplitter(delimiterFromHex(integration.delimiterHex))
        : undefined;
    const onMessage = observer?.onMessage;
    // Chunk bytes are valid until the next read: every consumer below copies or decodes them at once
    // (the collector copies, the chunk encoder decodes, line and prelude remainders are copied), and the
    // next read is pushed only once the previous batch has been taken in full.
    const decoder = new EventDecoder(eventsDefinition(loaded), {
      reuseFrameBuffer: true,
      ...(onMessage === undefined
        ? {}
        : {
            onMessage: (m) =>
              onMessage({
                eventType: m.eventType,
                messageType: m.messageType,
                size: m.size,
                elapsedMs: now() - call.startedAt,
                payload: m.payload,
              }),
          }),
    });
    let completion: StreamEvent | undefined;
    let preludeSeen = false;
    for await (const read of body) {
      // After the completion event the rest of the body is read, not decoded (the service ends it
      // right after): closing a body that has not ended destroys the socket, and the next call would
      // pay for a new connection instead of reusing this keep-alive one.
      if (completion !== undefined) continue;
      decoder.push(read);
      const chunks: Uint8Array[] = [];
      try {
        for (let event = decoder.next(); event !== undefined; event = decoder.next()) {
          if (event.kind === 'complete') {
            completion = event;
            break;
          }
          const bytes = prelude === undefined ? event.payload : prelude.push(event.payload);
          if (prelude?.response !== undefined && !preludeSeen) {
            preludeSeen = true;
            observer?.onPrelude?.({ ...prelude.response, elapsedMs: now() - call.startedAt });
          }
          if (bytes.byteLength > 0) chunks.push(bytes);
        }
      } catch (error) {
        // The chunks before a bad message were good: hand them on before the error.
        if (chunks.length > 0) yield { elapsedMs: now() - call.startedAt, chunks };
        throw error;
      }
      if (chunks.length > 0) yield { elapsedMs: now() - call.startedAt, chunks };
    }
    decoder.finish();
    if (completion?.kind !== 'complete') return;
    prelude?.finish();
    yield {
      elapsedMs: now() - call.startedAt,
      chunks: [],
      complete: {
        ...(completion.errorCode === undefined ? {} : { errorCode: completion.errorCode }),
        ...(completion.errorDetails === undefined ? {} : { errorDetails: completion.errorDetails }),
        ...(completion.logResult === undefined ? {} : { logResult: completion.logResult }),
        ...(prelude?.response === undefined ? {} : { httpResponse: prelude.response }),
      },
    };
  }

  function summaryFields(
    call: PreparedCall,
    opened: OpenResponse,
    done: Completion,
    counts: { bytes: number; chunks: number; firstChunkAt: number | undefined },
  ): Omit<CompleteEvent, 'type'> {
    const logText = decodeLogResult(done.logResult);
    logTail(call.logger, logText, opened.summary.requestId);
    if (done.errorCode !== undefined) {
      call.logger.warn(`The function reported ${done.errorCode}`, {
        errorCode: done.errorCode,
        ...(done.errorDetails === undefined ? {} : { errorDetails: done.errorDetails }),
        ...(opened.summary.requestId === undefined ? {} : { requestId: opened.summary.requestId }),
      });
    }
    return {
      ...opened.summary,
      bytes: counts.bytes,
      chunks: counts.chunks,
      timeToFirstByteMs: opened.timeToFirstByteMs,
      ...(counts.firstChunkAt === undefined ? {} : { timeToFirstChunkMs: counts.firstChunkAt }),
      totalMs: call.context.now() - call.startedAt,
      ...(logText === undefined ? {} : { logResult: logText }),
      ...(done.errorCode === undefined
        ? {}
        : {
            functionError: {
              errorCode: done.errorCode,
              ...(done.errorDetails === undefined ? {} : { errorDetails: done.errorDetails }),
            },
          }),
      ...(done.httpResponse === undefined ? {} : { httpResponse: done.httpResponse }),
    };
  }

  async function invoke(input: unknown, context: ExecuteContext = {}): Promise<AggregatedResult> {
    const call = await prepare(input, context);
    const opened = await open(call);
    const { body } = opened.response;
    const collector = new PayloadCollector({
      maxBytes: call.settings.maxAggregatedBytes,
      encoding: call.settings.outputEncoding,
      spillDirectory: call.settings.spillDirectory,
    });
    const counts = { bytes: 0, chunks: 0, firstChunkAt: undefined as number | undefined };
    try {
      for await (const batch of payload(call, opened, body)) {
        if (batch.chunks.length > 0) counts.firstChunkAt ??= batch.elapsedMs;
        for (const bytes of batch.chunks) {
          counts.chunks++;
          counts.bytes += bytes.byteLength;
          const wait = collector.push(bytes);
          if (wait !== undefined) await wait;
        }
        if (batch.complete === undefined) continue;
        const fields = summaryFields(call, opened, batch.complete, counts);
        const collected = await collector.finish();
        return { ...fields, ...collected } as AggregatedResult;
      }
      throw new StreamError('STREAM_INCOMPLETE', 'The response ended without its completion event');
    } catch (error) {
      await collector.abort();
      throw afterDelivery(error, 0);
    } finally {
      await body.return();
    }
  }

  /**
   * The chunked events, in batches: the start event alone (at the response headers), then the chunk
   * events of each read of the body, then the completion or the error. `invokeStream` hands them out one
   * by one (see `flattenBatches`), so a batch is resumed from only once all its events have been taken,
   * which keeps `chunksDelivered` exact.
   */
  async function* streamBatches(
    input: unknown,
    context: ExecuteContext = {},
  ): AsyncGenerator<OutputEvent[], void, undefined> {
    // Input errors throw from the first next(): nothing has been sent.
    const call = await prepare(input, context);
    let chunksDelivered = 0;
    let body: ResponseBody | undefined;
    try {
      const opened = await open(call);
      body = opened.response.body;
      const start: StartEvent = { type: 'start', ...opened.summary, elapsedMs: opened.timeToFirstByteMs };
      yield [start];
      const encoder = new ChunkEventEncoder({
        encoding: call.settings.outputEncoding,
        framing: call.settings.framing,
        maxLineBytes: call.settings.maxLineBytes,
      });
      const byChunk = call.settings.framing === 'chunk';
      const counts = { bytes: 0, chunks: 0, firstChunkAt: undefined as number | undefined };
      for await (const batch of payload(call, opened, body)) {
        if (batch.chunks.length > 0) counts.firstChunkAt ??= batch.elapsedMs;
        const events: OutputEvent[] = [];
        let failed = false;
        let failure: unknown;
        try {
          for (const bytes of batch.chunks) {
            counts.chunks++;
            counts.bytes += bytes.byteLength;
            if (byChunk) events.push(encoder.pushChunk(bytes, batch.elapsedMs));
            else for (const event of encoder.push(bytes, batch.elapsedMs)) events.push(event);
          }
          if (batch.complete !== undefined) {
            for (const event of encoder.finish(call.context.now() - call.startedAt)) events.push(event);
          }
        } catch (error) {
          // The events before the failure (lines before an over-long one) are still delivered.
          failed = true;
          failure = error;
        }
        if (events.length > 0) {
          yield events;
          chunksDelivered += events.length;
        }
        if (failed) throw failure;
        if (batch.complete === undefined) continue;
        yield [{ type: 'complete', ...summaryFields(call, opened, batch.complete, counts) }];
        return;
      }
      throw new StreamError('STREAM_INCOMPLETE', 'The response ended without its completion event');
    } catch (error) {
      // A cancelled call ends quietly: the host asked for it and no further events follow.
      if (context.signal?.aborted) return;
      const failure = afterDelivery(error, chunksDelivered);
      call.logger.error(failure.message, { code: failure.code, chunksDelivered });
      yield [errorEvent(failure, chunksDelivered)];
    } finally {
      await body?.return();
    }
  }

  function invokeStream(input: unknown, context: ExecuteContext = {}): AsyncGenerator<OutputEvent, void> {
    return flattenBatches(streamBatches(input, context));
  }

  async function execute(input: unknown, context: ExecuteContext = {}): Promise<ExecuteOutput> {
    const mode = requestedMode(input) ?? manifest().outputs.default;
    if (mode === 'chunked') {
      const batches = streamBatches(input, context);
      // Surface input errors from execute() itself, as in aggregated mode.
      const first = await batches.next();
      return { mode: 'chunked', events: flattenBatches(batches, first.done ? [] : first.value) };
    }
    return { mode: 'aggregated', result: await invoke(input, context) };
  }

  return {
    get manifest() {
      return manifest();
    },
    execute,
    invoke,
    invokeStream,
  };
}

const defaultExecutor = createExecutor();

/**
 * Run the task: aggregated result or chunked events, as `settings.outputMode` says.
 * Input errors reject before anything is sent.
 * @example
 * const out = await execute({ path: { FunctionName: 'fn' }, settings: { region: 'us-east-1' } })
 * if (out.mode === 'aggregated') console.log(out.result.payload)
 */
export function execute(input: unknown, context?: ExecuteContext): Promise<ExecuteOutput> {
  return defaultExecutor.execute(input, context);
}

/**
 * Invoke and aggregate: resolves to one result when the stream completes (whatever `outputMode` says).
 * A function error is `functionError` in the result, not an exception.
 * @example
 * const result = await invoke({ path: { FunctionName: 'fn' }, body: { Payload: { q: 1 } } }, { signal })
 */
export function invoke(input: unknown, context?: ExecuteContext): Promise<AggregatedResult> {
  return defaultExecutor.invoke(input, context);
}

/**
 * Invoke and stream: `start` at the response headers, `chunk`… as they arrive, then `complete`
 * or `error`. Pull-driven: the socket is read only as fast as the loop runs; `break` closes it.
 * @example
 * for await (const event of invokeStream(input, { signal })) if (event.type === 'chunk') process.stdout.write(event.data)
 */
export function invokeStream(input: unknown, context?: ExecuteContext): AsyncIterable<OutputEvent> {
  return defaultExecutor.invokeStream(input, context);
}
