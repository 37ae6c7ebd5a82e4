import { TransportError } from '../errors.js';

/** TLS and certificate failures: the same request would fail again, so they are not retried. */
const NOT_RETRYABLE_CONNECT =
  /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_SSL|HOSTNAME_MISMATCH|ERR_INVALID)/;

/**
 * A socket or HTTP error as `CONNECTION_FAILED`, retryable unless it is a TLS or certificate problem.
 * @example
 * connectionError(error, 'before a response').retryable
 */
export function connectionError(error: unknown, phase: string): TransportError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = error instanceof Error ? error.message : String(error);
  return new TransportError('CONNECTION_FAILED', `The connection failed ${phase}: ${why}`, {
    cause: error,
    retryable: !NOT_RETRYABLE_CONNECT.test(code),
    ...(code ? { details: { errno: code } } : {}),
  });
}

/**
 * The error a cancelled call ends with; the signal's reason is its cause.
 * @example
 * abortError(controller.signal).code // 'ABORTED'
 */
export function abortError(signal: AbortSignal): TransportError {
  return new TransportError('ABORTED', 'The call was cancelled', { cause: signal.reason });
}
