import { StreamError } from '../errors.js';
import { decodeFrame, HeaderBlockCache } from './decode-message.js';
import { MessageFramer } from './message-framer.js';
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

/** Exception and error texts are bounded so a hostile stream cannot make an error message huge. */
const MAX_ERROR_TEXT_BYTES = 4096;
const utf8 = new TextDecoder();

function stringHeader(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

function boundedText(body: Uint8Array): string {
  const text = utf8.decode(body.subarray(0, MAX_ERROR_TEXT_BYTES));
  return body.length > MAX_ERROR_TEXT_BYTES ? `${text}…` : text;
}

function completeEvent(body: Uint8Array, events: ResponseEventsDefinition): StreamEvent {
  const event: StreamEvent = { kind: 'complete' };
  if (body.length === 0) return event;
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch (cause) {
    throw new StreamError('STREAM_MALFORMED', `The ${events.completeEventType} event body is not JSON`, {
      cause,
      details: { eventType: events.completeEventType },
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StreamError(
      'STREAM_MALFORMED',
      `The ${events.completeEventType} event body is not a JSON object`,
      {
        details: { eventType: events.completeEventType },
      },
    );
  }
  const fields = parsed as Record<string, unknown>;
  // Members of another type are dropped rather than fatal: the call itself completed.
  const errorCode = fields[events.errorCodeField];
  const errorDetails = fields[events.errorDetailsField];
  const logResult = fields[events.logResultField];
  if (typeof errorCode === 'string') event.errorCode = errorCode;
  if (typeof errorDetails === 'string') event.errorDetails = errorDetails;
  if (typeof logResult === 'string') event.logResult = logResult;
  return event;
}

/** One decoded frame → an event to yield, `undefined` to skip, or a thrown `StreamError`. */
function dispatch(
  frame: Uint8Array,
  events: ResponseEventsDefinition,
  onMessage: DecodeEventsOptions['onMessage'],
  cache: HeaderBlockCache,
): StreamEvent | undefined {
  const { headers, body } = decodeFrame(frame, true, cache);
  const messageType = stringHeader(headers, ':message-type');
  if (messageType === undefined) {
    throw new StreamError('STREAM_MALFORMED', 'Event-stream message has no string :message-type header', {
      details: { size: frame.length },
    });
  }
  const eventType = stringHeader(headers, ':event-type') ?? '';
  onMessage?.({ messageType, eventType, size: frame.length, headers, payload: body });
  switch (messageType) {
    case 'event':
      if (eventType === events.chunkEventType) return { kind: 'chunk', payload: body };
      if (eventType === events.completeEventType) return completeEvent(body, events);
      // Unknown event types are skipped, as the SDKs do: the union may grow.
      return undefined;
    case 'exception': {
      const exceptionType = stringHeader(headers, ':exception-type') ?? 'UnknownException';
      const message = boundedText(body);
      throw new StreamError(
        'STREAM_EXCEPTION',
        `The service sent ${exceptionType} in the stream: ${message}`,
        {
          details: { exceptionType, message },
        },
      );
    }
    case 'error': {
      const exceptionType = stringHeader(headers, ':error-code') ?? 'UnknownError';
      const message = (stringHeader(headers, ':error-message') ?? '').slice(0, MAX_ERROR_TEXT_BYTES);
      throw new StreamError(
        'STREAM_EXCEPTION',
        `The service sent error ${exceptionType} in the stream: ${message}`,
        {
          details: { exceptionType, message },
        },
      );
    }
    default:
      throw new StreamError(
        'STREAM_MALFORMED',
        `Event-stream message has unknown :message-type "${messageType}"`,
        {
          details: { messageType: messageType.slice(0, 64) },
        },
      );
  }
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
  const framer = new MessageFramer(options.maxMessageBytes);
  const onMessage = options.onMessage;
  const cache = new HeaderBlockCache();
  let completed = false;
  for await (const chunk of source) {
    if (completed) continue;
    framer.push(chunk);
    for (let frame = framer.next(); frame !== undefined; frame = framer.next()) {
      const event = dispatch(frame, events, onMessage, cache);
      if (event === undefined) continue;
      yield event;
      if (event.kind === 'complete') {
        completed = true;
        break;
      }
    }
  }
  if (completed) return;
  framer.finish();
  throw new StreamError(
    'STREAM_INCOMPLETE',
    `The event stream ended without ${events.completeEventType}: the response may be cut short`,
    { retryable: true, details: { completeEventType: events.completeEventType } },
  );
}
