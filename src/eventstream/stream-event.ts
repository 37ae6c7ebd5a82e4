/** The typed events of a decoded event stream, and what an observer learns of each message. */
import type { MessageHeaders } from './message-types.js';

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
  /** What the definition makes of it: a chunk, the completion, another event, or a stream exception. */
  role: 'chunk' | 'complete' | 'other' | 'exception';
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
