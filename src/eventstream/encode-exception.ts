import { assembleMessage, encodeHeaders } from './encode-message.js';

/**
 * Encodes an in-stream `exception` message (`:exception-type`, `:content-type: application/json`,
 * `:message-type: exception`), as the service sends for a failure after streaming began.
 * @example
 * encodeException('ServiceException', '{"message":"boom"}') // 128 bytes, wire-format §3.6
 */
export function encodeException(exceptionType: string, body: string | Uint8Array): Uint8Array {
  const headers = encodeHeaders({
    ':exception-type': { type: 'string', value: exceptionType },
    ':content-type': { type: 'string', value: 'application/json' },
    ':message-type': { type: 'string', value: 'exception' },
  });
  return assembleMessage(headers, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}

/**
 * Encodes an `error` message (`:error-code`, `:error-message`, `:message-type: error`).
 * @example
 * encodeError('InternalFailure', 'try again')
 */
export function encodeError(errorCode: string, errorMessage: string): Uint8Array {
  const headers = encodeHeaders({
    ':error-code': { type: 'string', value: errorCode },
    ':error-message': { type: 'string', value: errorMessage },
    ':message-type': { type: 'string', value: 'error' },
  });
  return assembleMessage(headers, new Uint8Array(0));
}
