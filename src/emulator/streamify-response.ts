/**
 * `streamifyResponse`: marks a handler as a response-streaming handler the way Lambda's Node
 * runtime does (a property under a registered symbol), so a function that brings its own copy of
 * the helper, or uses the `awslambda` global, is recognised by the same test.
 */
import type { Writable } from 'node:stream';
import type { LambdaContext } from './lambda-context.js';

/** The symbols and value Lambda's Node runtime interface client uses (`Symbol.for`, so copies agree). */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

/** The response stream a streaming handler writes to. */
export interface LambdaResponseStream extends Writable {
  /** Declare the response's content type; only before the first write. */
  setContentType(contentType: string): void;
}

/** A response-streaming handler: `(event, responseStream, context)`. */
export type StreamingHandler<TEvent = unknown> = (
  event: TEvent,
  responseStream: LambdaResponseStream,
  context: LambdaContext,
) => unknown;

/** Options of {@link streamifyResponse}. */
export interface StreamifyOptions {
  /** Buffer size of the response stream before `write()` returns false (bytes). */
  highWaterMark?: number;
}

/**
 * Wrap a handler so the emulator (and Lambda's Node runtime) streams its response.
 * @example
 * export const handler = streamifyResponse(async (event, responseStream) => {
 *   responseStream.write('hello ');
 *   responseStream.end('world');
 * });
 */
export function streamifyResponse<H extends StreamingHandler<never>>(
  handler: H,
  options?: StreamifyOptions,
): H {
  const marked = handler as unknown as Record<symbol, unknown>;
  marked[HANDLER_STREAMING] = STREAM_RESPONSE;
  if (typeof options?.highWaterMark === 'number' && Number.isFinite(options.highWaterMark)) {
    marked[HANDLER_HIGHWATERMARK] = Math.max(0, Math.floor(options.highWaterMark));
  }
  return handler;
}

/** True when `handler` was wrapped by a `streamifyResponse` (ours or the runtime's). */
export function isStreamingHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE
  );
}

/** The high-water mark the handler asked for, if any. */
export function streamingHighWaterMark(handler: unknown): number | undefined {
  if (typeof handler !== 'function') return undefined;
  const value = (handler as unknown as Record<symbol, unknown>)[HANDLER_HIGHWATERMARK];
  return typeof value === 'number' ? value : undefined;
}
