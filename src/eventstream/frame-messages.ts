import { MessageFramer } from './message-framer.js';

/** Options of {@link frameMessages}. */
export interface FrameMessagesOptions {
  /**
   * The largest message accepted, in bytes. Default 24 MiB ({@link DEFAULT_MAX_MESSAGE_BYTES},
   * the aws-c-event-stream limit). A larger declared length is `STREAM_MALFORMED` before any allocation.
   */
  maxMessageBytes?: number;
}

/**
 * Splits an arbitrary byte stream into whole event-stream messages by their 4-byte length prefix.
 * Messages (and their length prefixes) may be split across reads at any byte; the prelude CRC is
 * checked as soon as 12 bytes are there. A message inside one read is yielded as a view of it.
 *
 * Throws `StreamError`: `STREAM_TRUNCATED` when the input ends inside a message, `STREAM_CHECKSUM`
 * on a corrupt prelude, `STREAM_MALFORMED` on a declared length under 16 or over the limit.
 * @example
 * for await (const frame of frameMessages(response)) console.log(decodeMessage(frame).headers);
 */
export async function* frameMessages(
  source: AsyncIterable<Uint8Array>,
  options: FrameMessagesOptions = {},
): AsyncIterable<Uint8Array> {
  const framer = new MessageFramer(options.maxMessageBytes);
  for await (const chunk of source) {
    framer.push(chunk);
    for (let frame = framer.next(); frame !== undefined; frame = framer.next()) yield frame;
  }
  framer.finish();
}
