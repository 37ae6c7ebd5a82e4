/**
 * Runs one invocation of a handler as Lambda's Node runtime does: streaming handlers get
 * `(event, responseStream, context)` and are done when the stream finishes; plain handlers get
 * `(event, context, callback)` and their result is sent as one chunk. A throw, a rejected promise
 * or a stream error becomes the function error; the function's timeout ends the invocation.
 */
import { types } from 'node:util';
import { runWithLog } from './console-capture.js';
import type { InvocationLog } from './invocation-log.js';
import type { LambdaContext } from './lambda-context.js';
import { type ResponseSink, ResponseStream } from './response-stream.js';
import { isStreamingHandler, streamingHighWaterMark } from './streamify-response.js';

/** How the invocation ended. */
export type InvocationOutcome =
  | { kind: 'success' }
  | { kind: 'error'; errorType: string; errorMessage: string; trace?: string[] }
  | { kind: 'timeout'; errorType: 'Sandbox.Timedout'; errorMessage: string }
  /** The client went away or the emulator is closing: nothing more can be sent. */
  | { kind: 'aborted' };

export interface InvocationInput {
  handler: (...args: never[]) => unknown;
  event: unknown;
  context: LambdaContext;
  sink: ResponseSink;
  log: InvocationLog;
  timeoutSeconds: number;
  /** Aborted when the client disconnects or the emulator closes. */
  signal: AbortSignal;
}

/** Lambda's description of an error, as its runtime reports it (`errorType` is the error's name). */
export function describeError(error: unknown): { errorType: string; errorMessage: string; stack: string[] } {
  if (types.isNativeError(error) || error instanceof Error) {
    return {
      errorType: String(error.name ?? 'Error'),
      errorMessage: String(error.message ?? ''),
      stack: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), stack: [] };
}

/** Run the handler; resolves once the invocation has an outcome (never rejects). */
export function runInvocation(input: InvocationInput): Promise<InvocationOutcome> {
  const { handler, context, log } = input;
  const streaming = isStreamingHandler(handler);
  const stream = new ResponseStream(input.sink, streaming ? streamingHighWaterMark(handler) : undefined);

  return new Promise<InvocationOutcome>((resolve) => {
    let settled = false;
    let failure: { errorType: string; errorMessage: string; trace: string[] } | undefined;
    const settle = (outcome: InvocationOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const fail = (error: unknown): void => {
      if (settled || failure) return;
      const described = describeError(error);
      failure = {
        errorType: described.errorType,
        errorMessage: described.errorMessage,
        trace: described.stack,
      };
      log.console(
        'ERROR',
        `Invoke Error \t${JSON.stringify({ errorType: described.errorType, errorMessage: described.errorMessage, stack: described.stack })}`,
      );
      // Let what was written before the failure reach the client, then report the error.
      if (stream.destroyed) settle({ kind: 'error', ...failure });
      else if (!stream.writableEnded) stream.end();
    };
    const onAbort = (): void => {
      settle({ kind: 'aborted' });
      stream.destroy();
    };

    const timeoutMs = Math.round(input.timeoutSeconds * 1000);
    const timer = setTimeout(() => {
      const message = `Task timed out after ${input.timeoutSeconds.toFixed(2)} seconds`;
      log.raw(`${new Date().toISOString()} ${context.awsRequestId} ${message}`);
      settle({ kind: 'timeout', errorType: 'Sandbox.Timedout', errorMessage: message });
      stream.destroy(new Error(message));
    }, timeoutMs);
    if (input.signal.aborted) {
      onAbort();
      return;
    }
    input.signal.addEventListener('abort', onAbort, { once: true });

    stream.on('finish', () => settle(failure ? { kind: 'error', ...failure } : { kind: 'success' }));
    // Always listened to: a destroyed stream must never become an uncaught 'error' in the emulator.
    stream.on('error', (error: unknown) => {
      if (settled) return;
      if (input.signal.aborted) return;
      if (!failure) fail(error);
      if (failure) settle({ kind: 'error', ...failure });
    });
    stream.on('close', () => {
      if (!settled && failure) settle({ kind: 'error', ...failure });
    });

    runWithLog(log, () => {
      try {
        if (streaming) {
          const result = (handler as (e: unknown, s: ResponseStream, c: LambdaContext) => unknown)(
            input.event,
            stream,
            context,
          );
          if (isThenable(result)) result.then(undefined, fail);
        } else {
          runPlainHandler(handler, input.event, context, stream, fail);
        }
      } catch (error: unknown) {
        fail(error);
      }
    });
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** A plain handler: its result (promise or callback) is the whole response, one chunk. */
function runPlainHandler(
  handler: (...args: never[]) => unknown,
  event: unknown,
  context: LambdaContext,
  stream: ResponseStream,
  fail: (error: unknown) => void,
): void {
  let answered = false;
  const answer = (value: unknown): void => {
    if (answered) return;
    answered = true;
    stream.end(toBytes(value));
  };
  const callback = (error: unknown, value?: unknown): void => {
    if (answered) return;
    if (error !== null && error !== undefined) {
      answered = true;
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
      fail(error);
    });
  } else if (handler.length < 3) {
    // Neither a promise nor a callback-style handler: its return value is the answer.
    answer(result);
  }
}

/** The bytes Lambda sends for a plain handler's return value. */
function toBytes(value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
}
