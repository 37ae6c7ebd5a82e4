/**
 * Errors handed to Node-RED's `done(err)`: a catch node gets `msg.error.code` from `err.code`
 * (Node-RED copies it), and the node puts the whole failure, redacted, on `msg.lambda.error`.
 */

/**
 * An Error for a chunked stream's final `error` event (data, not an exception).
 * @example
 * failureFromEvent({ type: 'error', code: 'IDLE_TIMEOUT', message: 'No data for 300000 ms', retryable: true, chunksDelivered: 3 })
 */
function failureFromEvent(event) {
  const error = new Error(event.message);
  error.name = 'TaskError';
  error.code = event.code;
  error.retryable = event.retryable;
  error.chunksDelivered = event.chunksDelivered;
  if (event.statusCode !== undefined) error.statusCode = event.statusCode;
  if (event.awsErrorType !== undefined) error.awsErrorType = event.awsErrorType;
  return error;
}

/**
 * The function ran and reported an error in its completion event: the output it wrote is kept.
 * @example
 * functionFailure({ errorCode: 'Error', errorDetails: 'boom' }) // Error 'Function error Error: boom', code FUNCTION_ERROR
 */
function functionFailure(functionError) {
  const detail = functionError.errorDetails ? `: ${functionError.errorDetails}` : '';
  const error = new Error(`Function error ${functionError.errorCode}${detail}`);
  error.name = 'FunctionError';
  error.code = 'FUNCTION_ERROR';
  error.retryable = false;
  error.functionError = functionError;
  return error;
}

/**
 * A plain, redacted view of any failure for `msg.lambda.error`.
 * @example
 * describeFailure(core, err) // { name, code, message, retryable, … }
 */
function describeFailure(core, error) {
  if (typeof error?.toJSON === 'function') return core.redact(error.toJSON());
  const view = {
    name: error?.name ?? 'Error',
    code: error?.code ?? 'UNKNOWN',
    message: String(error?.message ?? error),
  };
  for (const key of ['retryable', 'chunksDelivered', 'statusCode', 'awsErrorType', 'functionError']) {
    if (error?.[key] !== undefined) view[key] = error[key];
  }
  return core.redact(view);
}

module.exports = { failureFromEvent, functionFailure, describeFailure };
