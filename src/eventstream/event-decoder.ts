import type { PlanEvents } from '../definition/call-plan.js';
import { StreamError } from '../errors.js';
import { decodeFrame, HeaderBlockCache } from './decode-message.js';
import { MessageFramer } from './message-framer.js';
import type { MessageHeaders } from './message-types.js';
import type { DecodeEventsOptions, MessageInfo, StreamEvent } from './stream-event.js';

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

function completeEvent(body: Uint8Array, events: PlanEvents): StreamEvent {
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

function roleOf(messageType: string, eventType: string, events: PlanEvents): MessageInfo['role'] {
  if (messageType !== 'event') return 'exception';
  if (eventType === events.chunkEventType) return 'chunk';
  return eventType === events.completeEventType ? 'complete' : 'other';
}

/** One decoded frame → an event to yield, `undefined` to skip, or a thrown `StreamError`. */
function dispatch(
  frame: Uint8Array,
  events: PlanEvents,
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
  onMessage?.({
    messageType,
    eventType,
    role: roleOf(messageType, eventType, events),
    size: frame.length,
    headers,
    payload: body,
  });
  switch (messageType) {
    case 'event':
      if (eventType === events.chunkEventType) return { kind: 'chunk', payload: body };
      if (eventType === events.completeEventType) return completeEvent(body, events);
      // Unknown event types are skipped, as the SDKs do (the union may grow), unless the definition refuses them.
      if (events.unknownEvents === 'error') {
        throw new StreamError(
          'STREAM_MALFORMED',
          `The stream sent an unknown event type "${eventType.slice(0, 64)}"`,
          {
            details: { eventType: eventType.slice(0, 64) },
          },
        );
      }
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
 * The synchronous core of {@link decodeEvents}: `push()` one read, then call `next()` until it returns
 * `undefined`, so a caller can handle every message of a read without an async hop per message.
 * Every message's CRCs are checked before its event is returned; errors are thrown from `next()` (the
 * events of the same read before the bad message have been returned by then). After the complete
 * event, `next()` returns `undefined` and later reads are ignored (not decoded).
 * @example
 * const decoder = new EventDecoder(loadManifest().plan.response.events!);
 * for await (const read of body) {
 *   decoder.push(read);
 *   for (let e = decoder.next(); e !== undefined; e = decoder.next()) handle(e);
 * }
 * decoder.finish(); // throws STREAM_TRUNCATED / STREAM_INCOMPLETE unless the complete event came
 */
export class EventDecoder {
  private readonly framer: MessageFramer;
  private readonly onMessage: DecodeEventsOptions['onMessage'];
  private readonly cache = new HeaderBlockCache();
  private done = false;

  constructor(
    private readonly events: PlanEvents,
    options: DecodeEventsOptions = {},
  ) {
    this.framer = new MessageFramer(options.maxMessageBytes);
    this.onMessage = options.onMessage;
  }

  /** True once the complete event has been returned. */
  get completed(): boolean {
    return this.done;
  }

  /** Hands the decoder the next read (ignored after the complete event). */
  push(read: Uint8Array): void {
    if (!this.done) this.framer.push(read);
  }

  /** The next event of the reads pushed so far, or `undefined` when more input is needed. */
  next(): StreamEvent | undefined {
    while (!this.done) {
      const frame = this.framer.next();
      if (frame === undefined) return undefined;
      const event = dispatch(frame, this.events, this.onMessage, this.cache);
      if (event === undefined) continue;
      if (event.kind === 'complete') this.done = true;
      return event;
    }
    return undefined;
  }

  /** Call at the end of input: a cut-off message or a missing complete event is an error, never a silent end. */
  finish(): void {
    if (this.done) return;
    this.framer.finish();
    throw new StreamError(
      'STREAM_INCOMPLETE',
      `The event stream ended without ${this.events.completeEventType}: the response may be cut short`,
      { retryable: true, details: { completeEventType: this.events.completeEventType } },
    );
  }
}
