/**
 * Runs one invocation of a handler inside its instance, as Lambda's Node runtime does
 * (`Runtime.js`): streaming handlers get `(event, responseStream, context)` and must return a
 * promise ("Streaming does not support non-async handlers." otherwise); plain handlers get
 * `(event, context, callback)` and their result is sent as one chunk. A throw, a rejected promise or
 * a stream error becomes the function error. The timeout is the emulator's to enforce: it ends the
 * whole instance, which also stops a handler that never yields.
 */

import { describeError, formatErrorForLog } from './format-error.js';
import type { InstanceOutcome } from './instance-messages.js';
import type { LambdaContext } from './lambda-context.js';
import { type ResponseSink, ResponseStream } from './response-stream.js';
import { isStreamingHandler, streamingHighWaterMark } from './streamify-response.js';

/** Where the runtime's own log lines go. */
export interface RuntimeLog {
  console(level: string, message: string): void;
}

export interface InvocationInput {
  handler: (...args: never[]) => unknown;
  event: unknown;
  context: LambdaContext;
  sink: ResponseSink;
  log: RuntimeLog;
  /** Aborted when the client disconnects or the emulator closes. */
  signal: AbortSignal;
}

/** The invocation's outcome, and when its handler is done (the instance is free only then). */
export interface InvocationRun {
  /** Resolves when the response has ended (never rejects). */
  outcome: Promise<InstanceOutcome>;
  /** Resolves when the handler's promise settled (or it answered), which may be later. */
  settled: Promise<void>;
}

/**
 * Run the handler.
 * @example
 * const run = runInvocation({ handler, event, context, sink, log, signal });
 * const outcome = await run.outcome; await run.settled;
 */
export function runInvocation(input: InvocationInput): InvocationRun {
  let handlerDone: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    handlerDone = resolve;
  });
  return { outcome: runHandler(input, handlerDone), settled };
}

function runHandler(input: InvocationInput, handlerDone: () => void): Promise<InstanceOutcome> {
  const { handler, context, log } = input;
  const streaming = isStreamingHandler(handler);
  const stream = new ResponseStream(input.sink, streaming ? streamingHighWaterMark(handler) : undefined);

  return new Promise<InstanceOutcome>((resolve) => {
    let settled = false;
    let failure: InstanceOutcome | undefined;
    const settle = (outcome: InstanceOutcome): void => {
      if (settled) return;
      settled = true;
      input.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const fail = (error: unknown): void => {
      if (settled || failure) return;
      failure = { kind: 'error', ...describeError(error) };
      log.console('ERROR', `Invoke Error ${formatErrorForLog(error)}`);
      // Let what was written before the failure reach the client, then report the error.
      if (stream.destroyed) settle(failure);
      else if (!stream.writableEnded) stream.end();
    };
    const onAbort = (): void => {
      settle({ kind: 'aborted' });
      stream.destroy();
    };
    if (input.signal.aborted) {
      onAbort();
      return;
    }
    input.signal.addEventListener('abort', onAbort, { once: true });

    stream.on('finish', () => settle(failure ?? { kind: 'success' }));
    // Always listened to: a destroyed stream must never become an uncaught 'error'.
    stream.on('error', (error: unknown) => {
      if (settled || input.signal.aborted) return;
      fail(error);
      if (failure) settle(failure);
    });
    stream.on('close', () => {
      if (failure) settle(failure);
    });

    try {
      const result = streaming
        ? runStreamingHandler(handler, input.event, stream, context, fail, log)
        : runPlainHandler(handler, input.event, context, stream, fail);
      void result.then(handlerDone, handlerDone);
    } catch (error: unknown) {
      handlerDone();
      fail(error);
    }
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function runStreamingHandler(
  handler: (...args: never[]) => unknown,
  event: unknown,
  stream: ResponseStream,
  context: LambdaContext,
  fail: (error: unknown) => void,
  log: RuntimeLog,
): Promise<unknown> {
  const result = (handler as (e: unknown, s: ResponseStream, c: LambdaContext) => unknown)(
    event,
    stream,
    context,
  );
  // The runtime fails the invocation with this string itself (so its error type is `string`).
  if (!isThenable(result)) {
    fail('Streaming does not support non-async handlers.');
    return Promise.resolve();
  }
  return Promise.resolve(result).then((value) => {
    if (value !== undefined) log.console('WARN', 'Streaming handlers ignore return values.');
  }, fail);
}

/** A plain handler: its result (promise or callback) is the whole response, one chunk; settles when answered. */
function runPlainHandler(
  handler: (...args: never[]) => unknown,
  event: unknown,
  context: LambdaContext,
  stream: ResponseStream,
  fail: (error: unknown) => void,
): Promise<unknown> {
  let answered = false;
  let done: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    done = resolve;
  });
  const answer = (value: unknown): void => {
    if (answered) return;
    answered = true;
    done();
    stream.end(toBytes(value));
  };
  const callback = (error: unknown, value?: unknown): void => {
    if (answered) return;
    if (error !== null && error !== undefined) {
      answered = true;
      done();
      fail(error);
    } else answer(value);
  };
  const result = (handler as (e: unknown, c: LambdaContext, cb: typeof callback) => unknown)(
    event,
    context,
    callback,
  );
  if (isThenable(result)) {
    result.then(answer, (error: unknown) => {
      if (answered) return;
      answered = true;
      done();
      fail(error);
    });
  } else if (handler.length < 3) {
    // Neither a promise nor a callback-style handler: its return value is the answer.
    answer(result);
  }
  return settled;
}

/** The bytes Lambda sends for a plain handler's return value. */
function toBytes(value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
}
