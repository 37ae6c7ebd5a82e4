import {
  OutputError,
  ServiceError,
  StreamError,
  type TaskError,
  type TaskErrorCode,
  TransportError,
} from '../../index.js';

/** The fields of a chunked-mode `error` output event this needs. */
export interface ErrorEventLike {
  code: string;
  message: string;
  retryable: boolean;
  chunksDelivered: number;
  statusCode?: number;
  awsErrorType?: string;
  requestId?: string;
}

/**
 * Turn a chunked-mode `error` event (data) back into the error family, so a workflow step fails with
 * a real {@link TaskError} whose subclass says who must act.
 * @example
 * taskErrorFromEvent({ code: 'IDLE_TIMEOUT', message: 'no bytes for 300000 ms', retryable: true, chunksDelivered: 3 })
 */
export function taskErrorFromEvent(event: ErrorEventLike): TaskError {
  const code = event.code as TaskErrorCode;
  const options = { retryable: event.retryable, chunksDelivered: event.chunksDelivered };
  if (
    event.statusCode !== undefined ||
    code === 'SERVICE_ERROR' ||
    code === 'THROTTLED' ||
    code === 'CLOCK_SKEW'
  ) {
    return new ServiceError(
      code,
      event.message,
      {
        statusCode: event.statusCode ?? 0,
        ...(event.awsErrorType === undefined ? {} : { awsErrorType: event.awsErrorType }),
        ...(event.requestId === undefined ? {} : { requestId: event.requestId }),
      },
      options,
    );
  }
  if (code.startsWith('STREAM_')) return new StreamError(code, event.message, options);
  if (code === 'OUTPUT_TOO_LARGE' || code === 'SPILL_FAILED')
    return new OutputError(code, event.message, options);
  return new TransportError(code, event.message, options);
}
