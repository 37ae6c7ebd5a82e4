/**
 * The service's error answers before a stream starts (wire-format §2.1, §2.5): status,
 * `x-amzn-ErrorType`, request id and a JSON body `{ Type, message | Message }` with the member
 * casing the model gives each error, so every SDK resolves the same typed exception.
 */
import type { ServerResponse } from 'node:http';

/** Errors whose message member is lower-case `message` in the model; the rest use `Message`. */
const LOWER_CASE_MESSAGE = new Set([
  'InvalidParameterValueException',
  'InvalidRequestContentException',
  'ResourceConflictException',
  'RequestTooLargeException',
  'SerializedRequestEntityTooLargeException',
  'UnsupportedMediaTypeException',
  'TooManyRequestsException',
  'ResourceNotReadyException',
  'UnknownOperationException',
  'MissingAuthenticationTokenException',
  'InvalidSignatureException',
  'UnrecognizedClientException',
]);

/** One error answer. */
export interface ServiceErrorAnswer {
  status: number;
  type: string;
  message: string;
  /** Extra body members (e.g. `Reason` of a throttle). */
  extra?: Record<string, unknown>;
  /** Extra headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
}

/**
 * Send an error answer and end the response.
 * @example
 * sendServiceError(res, requestId, { status: 404, type: 'ResourceNotFoundException', message: 'Function not found: …' })
 */
export function sendServiceError(res: ServerResponse, requestId: string, answer: ServiceErrorAnswer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: Record<string, unknown> = { Type: answer.status >= 500 ? 'Service' : 'User' };
  body[LOWER_CASE_MESSAGE.has(answer.type) ? 'message' : 'Message'] = answer.message;
  Object.assign(body, answer.extra);
  const text = JSON.stringify(body);
  res.writeHead(answer.status, {
    ...answer.headers,
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': answer.type,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
