/**
 * One event-stream header value, tagged with its wire type (wire-format §3.2). The shape follows
 * `@smithy/eventstream-codec` except `long`, which is a `bigint` here instead of the codec's `Int64`.
 */
export type HeaderValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'byte'; value: number }
  | { type: 'short'; value: number }
  | { type: 'integer'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'string'; value: string }
  | { type: 'timestamp'; value: Date }
  | { type: 'uuid'; value: string };

/** Header name → value. Decoded maps have no prototype, so a header named `__proto__` is just data. */
export type MessageHeaders = Record<string, HeaderValue>;

/** One decoded event-stream message. */
export interface EventStreamMessage {
  headers: MessageHeaders;
  body: Uint8Array;
}

/**
 * The largest whole message accepted by default: 24 MiB, the limit of aws-c-event-stream
 * (`AWS_EVENT_STREAM_MAX_MESSAGE_SIZE`) and botocore's payload limit (wire-format §3.3).
 * A declared length above it is rejected before anything is allocated for it.
 */
export const DEFAULT_MAX_MESSAGE_BYTES: number = 24 * 1024 * 1024;

/** Prelude (total length, headers length, prelude CRC) plus the trailing message CRC. */
export const MESSAGE_OVERHEAD_BYTES = 16;

/** Total length + headers length + prelude CRC. */
export const PRELUDE_BYTES = 12;
