import { EventDecoder } from './event-decoder.js';
import type { MessageHeaders } from './message-types.js';

/**
 * What the response's event union looks like, taken from the manifest's response definition.
 * For Lambda `InvokeWithResponseStream`: `PayloadChunk`, `InvokeComplete`, `ErrorCode`, `ErrorDetails`, `LogResult`.
 */
export interface ResponseEventsDefinition {
  /** `:event-type` whose body is one raw chunk of the payload, e.g. `PayloadChunk`. */
  chunkEventType: string;
  /** `:event-type` of the final event (JSON body), e.g. `InvokeComplete`. */
  completeEventType: string;
  /** Member of the final event holding the function's error code, e.g. `ErrorCode`. */
  errorCodeField: string;
  /** Member holding the error details, e.g. `ErrorDetails`. */
  errorDetailsField: string;
  /** Member holding the base64 tail log, e.g. `LogResult`. */
  logResultField: string;
}

/** Lambda `InvokeWithResponseStream`'s event union (wire-format §2.2), for tests and tools. */
export const LAMBDA_RESPONSE_EVENTS: Readonly<ResponseEventsDefinition> = Object.freeze({
  chunkEventType: 'PayloadChunk',
  completeEventType: 'InvokeComplete',
  errorCodeField: 'ErrorCode',
  errorDetailsField: 'ErrorDetails',
  logResultField: 'LogResult',
});

/** A chunk of the payload, or the final event (every member optional, as sent). */
export type StreamEvent =
  | { kind: 'chunk'; payload: Uint8Array }
  | { kind: 'complete'; errorCode?: string; errorDetails?: string; logResult?: string };

/** What an observer learns about each decoded message (before it is dispatched). */
export interface MessageInfo {
  /** `:message-type`: `event`, `exception` or `error`. */
  messageType: string;
  /** `:event-type`, or `''` when the message has none. */
  eventType: string;
  /** Whole message size on the wire, in bytes. */
  size: number;
  /** The decoded headers; frozen, and shared between messages whose header bytes are identical. */
  headers: Readonly<MessageHeaders>;
  /** The message body (a view; copy it to keep it beyond the callback). */
  payload: Uint8Array;
}

/** Options of {@link decodeEvents}. */
export interface DecodeEventsOptions {
  /** Largest message accepted (default 24 MiB, see `frameMessages`). */
  maxMessageBytes?: number;
  /** Called for every decoded message, including ones that are skipped or raise an error. */
  onMessage?: (info: MessageInfo) => void;
}

/**
 * Decodes a response body into typed events: frames the bytes, checks both CRCs of every message and
 * dispatches on `:message-type`, in one async-generator layer.
 *
 * - `event` + the chunk event type → `{ kind: 'chunk', payload }` (a view of the read, not a copy);
 * - `event` + the complete event type → `{ kind: 'complete', errorCode?, errorDetails?, logResult? }`
 *   (JSON body; an empty body is `{}`); unknown event types are skipped;
 * - `exception` / `error` → `StreamError` `STREAM_EXCEPTION` with `details.exceptionType` and `details.message`;
 * - no `:message-type` → `STREAM_MALFORMED`; CRC failures → `STREAM_CHECKSUM`; a cut-off message →
 *   `STREAM_TRUNCATED`; the body ending without the complete event → `STREAM_INCOMPLETE`.
 *
 * Everything after the complete event is ignored: the result is already known, and the source is read
 * to its end (not decoded) so a keep-alive connection can be reused. Stop iterating after `complete`
 * to close the source instead.
 * @example
 * for await (const event of decodeEvents(response, LAMBDA_RESPONSE_EVENTS)) {
 *   if (event.kind === 'chunk') process.stdout.write(event.payload);
 *   else if (event.errorCode) console.error(event.errorCode);
 * }
 */
export async function* decodeEvents(
  source: AsyncIterable<Uint8Array>,
  events: ResponseEventsDefinition,
  options: DecodeEventsOptions = {},
): AsyncIterable<StreamEvent> {
  const decoder = new EventDecoder(events, options);
  for await (const chunk of source) {
    decoder.push(chunk);
    for (let event = decoder.next(); event !== undefined; event = decoder.next()) yield event;
  }
  decoder.finish();
}
