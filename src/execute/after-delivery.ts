import {
  InputError,
  isTaskError,
  OutputError,
  ServiceError,
  StreamError,
  TaskError,
  TransportError,
} from '../errors.js';
import type { ErrorEvent } from '../generated/output-event.js';

/**
 * The same error, carrying how many chunks reached the consumer; a dropped connection mid-stream
 * is `STREAM_INTERRUPTED`.
 * @example
 * throw afterDelivery(error, chunksDelivered)
 */
export function afterDelivery(error: unknown, chunksDelivered: number): TaskError {
  if (!isTaskError(error)) {
    return new StreamError('STREAM_MALFORMED', `The stream failed: ${String(error)}`, {
      cause: error,
      chunksDelivered,
    });
  }
  if (error.code === 'CONNECTION_FAILED' && chunksDelivered > 0) {
    return new StreamError(
      'STREAM_INTERRUPTED',
      `The stream broke off after ${chunksDelivered} chunk(s) had been delivered: ${error.message}`,
      { cause: error, chunksDelivered },
    );
  }
  if (error instanceof InputError || error instanceof ServiceError || !(error instanceof TaskError))
    return error;
  const Kind =
    error instanceof TransportError
      ? TransportError
      : error instanceof OutputError
        ? OutputError
        : StreamError;
  return new Kind(error.code, error.message, {
    cause: error.cause,
    retryable: error.retryable,
    chunksDelivered,
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

/**
 * The chunked mode's `error` event for a failure.
 * @example
 * yield [errorEvent(failure, chunksDelivered)]
 */
export function errorEvent(error: TaskError, chunksDelivered: number): ErrorEvent {
  const event: ErrorEvent = {
    type: 'error',
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    chunksDelivered,
  };
  const facts = error as Partial<Record<'statusCode' | 'awsErrorType' | 'requestId', unknown>>;
  if (typeof facts.statusCode === 'number') event.statusCode = facts.statusCode;
  if (typeof facts.awsErrorType === 'string') event.awsErrorType = facts.awsErrorType;
  if (typeof facts.requestId === 'string') event.requestId = facts.requestId;
  return event;
}
