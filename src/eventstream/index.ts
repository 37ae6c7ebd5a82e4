/** The event-stream layer: bytes → whole frames → decoded messages → typed events, and the protocol's encoders. */

export { codecDecodeMessage, codecEncodeMessage } from './codec-adapter.js';
export { crc32, crc32IsNative } from './crc32.js';
export { decodeEvents } from './decode-events.js';
export { decodeHeaders, decodeMessage } from './decode-message.js';
export { encodeError, encodeException } from './encode-exception.js';
export { encodeHeaders, encodeMessage } from './encode-message.js';
export { EventDecoder } from './event-decoder.js';
export type { FrameMessagesOptions } from './frame-messages.js';
export { frameMessages } from './frame-messages.js';
export { MessageFramer } from './message-framer.js';
export type { EventStreamMessage, HeaderValue, MessageHeaders } from './message-types.js';
export { DEFAULT_MAX_MESSAGE_BYTES } from './message-types.js';
export type { DecodeEventsOptions, MessageInfo, StreamEvent } from './stream-event.js';
