/**
 * The one file that imports `@smithy/eventstream-codec`. Since 4.5 that package only re-exports
 * `@smithy/core/event-streams` (and is marked deprecated in its favour); switching the import to
 * `@smithy/core/event-streams` here is the whole migration. The rest of the folder decodes and encodes
 * with its own code (native CRCs, no per-message copies); the codec is the reference the tests and the
 * fuzzer compare it with, message by message.
 */
import type { MessageHeaders as CodecHeaders, Message, MessageHeaderValue } from '@smithy/eventstream-codec';
import { EventStreamCodec, Int64 } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { StreamError } from '../errors.js';
import type { EventStreamMessage, HeaderValue, MessageHeaders } from './message-types.js';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function toBigInt(value: Int64): bigint {
  const bytes = value.bytes;
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0);
}

function fromBigInt(value: bigint): Int64 {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, value);
  return new Int64(bytes);
}

function fromCodecValue(header: MessageHeaderValue): HeaderValue {
  if (header.type === 'long') return { type: 'long', value: toBigInt(header.value) };
  return header;
}

function toCodecValue(header: HeaderValue): MessageHeaderValue {
  if (header.type === 'long') return { type: 'long', value: fromBigInt(header.value) };
  return header;
}

/**
 * Decodes one whole message with `@smithy/eventstream-codec` (CRCs checked by the codec), mapped to
 * this folder's types; the codec's plain `Error`s become `StreamError`s.
 * @example
 * codecDecodeMessage(frame).headers[':message-type']
 */
export function codecDecodeMessage(frame: Uint8Array): EventStreamMessage {
  let message: Message;
  try {
    message = codec.decode(frame);
  } catch (cause) {
    const text = cause instanceof Error ? cause.message : String(cause);
    const code = /checksum/i.test(text) ? 'STREAM_CHECKSUM' : 'STREAM_MALFORMED';
    // Explicit, as the table marks checksum errors retryable: this reference decoder (the tests and the
    // fuzzer compare against it, the executor does not use it) has always reported them as not retryable.
    throw new StreamError(code, `The event-stream codec rejected a message: ${text}`, {
      cause,
      retryable: false,
    });
  }
  const headers: MessageHeaders = Object.create(null) as MessageHeaders;
  for (const [name, value] of Object.entries(message.headers)) headers[name] = fromCodecValue(value);
  return { headers, body: message.body };
}

/**
 * Encodes one message with `@smithy/eventstream-codec` (headers in insertion order).
 * @example
 * codecEncodeMessage({ headers: {}, body: new Uint8Array() }).length // 16
 */
export function codecEncodeMessage(message: EventStreamMessage): Uint8Array {
  const headers: CodecHeaders = {};
  for (const [name, value] of Object.entries(message.headers)) headers[name] = toCodecValue(value);
  return codec.encode({ headers, body: message.body });
}
