import { assembleMessage, encodeHeaders } from '../eventstream/encode-message.js';

const HEADER_BLOCK = encodeHeaders({
  ':event-type': { type: 'string', value: 'InvokeComplete' },
  ':content-type': { type: 'string', value: 'application/json' },
  ':message-type': { type: 'string', value: 'event' },
});

/** Members of Lambda's final event (wire names); every one is optional. */
export interface InvokeCompleteFields {
  ErrorCode?: string;
  ErrorDetails?: string;
  /** Base64 of the last 4 KB of the log. */
  LogResult?: string;
}

/**
 * Encodes Lambda's `InvokeComplete` event with only the members given (`{}` on success).
 * @example
 * encodeInvokeComplete({}) // 102 bytes, wire-format §3.6
 * encodeInvokeComplete({ ErrorCode: 'Unhandled', ErrorDetails: 'boom', LogResult: btoa('log') })
 */
export function encodeInvokeComplete(fields: InvokeCompleteFields = {}): Uint8Array {
  const body: InvokeCompleteFields = {};
  if (fields.ErrorCode !== undefined) body.ErrorCode = fields.ErrorCode;
  if (fields.ErrorDetails !== undefined) body.ErrorDetails = fields.ErrorDetails;
  if (fields.LogResult !== undefined) body.LogResult = fields.LogResult;
  return assembleMessage(HEADER_BLOCK, Buffer.from(JSON.stringify(body), 'utf8'));
}
