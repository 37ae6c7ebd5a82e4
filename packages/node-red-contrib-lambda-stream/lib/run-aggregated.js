/**
 * Aggregated mode: one message whose payload is the function's output, the rest of the result on
 * `msg.lambda`. A function error is not thrown by the core; here it goes to `done(err)` with the
 * output the function wrote before failing still on `msg.payload`.
 */
const { asBuffer } = require('./as-buffer.js');
const { functionFailure, describeFailure } = require('./task-failure.js');

/** The result's payload for `msg.payload`: JSON parsed, text as text, bytes as a Buffer. */
function resultPayload(result, buffers) {
  if (result.payloadEncoding === 'none') return buffers ? Buffer.alloc(0) : '';
  if (result.payloadEncoding === 'bytes') return asBuffer(result.payload);
  // The `buffer` encoding of older flows: the core was asked for base64 (see build-task-input.js).
  if (buffers && result.payloadEncoding === 'base64') return Buffer.from(result.payload, 'base64');
  return result.payload;
}

/**
 * Run one message in aggregated mode; resolves with the message to send, rejects with the failure.
 * @example
 * send(await runAggregated({ core, input, context, buffers: false, msg, status }))
 */
async function runAggregated(call) {
  const { core, input, context, buffers, msg, status } = call;
  status.calling();
  const result = await core.invoke(input, context);
  const { payload: _payload, ...rest } = result;
  msg.payload = resultPayload(result, buffers);
  msg.lambda = rest;
  if (result.functionError !== undefined) {
    const failure = functionFailure(result.functionError);
    msg.lambda.error = describeFailure(core, failure);
    status.failed(failure.code);
    throw failure;
  }
  status.done(result.statusCode, result.chunks, result.bytes);
  return msg;
}

module.exports = { runAggregated };
