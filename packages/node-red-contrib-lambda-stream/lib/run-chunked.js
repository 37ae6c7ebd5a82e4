/**
 * Chunked mode: one message per chunk on output 1 as each arrives (nothing is held back), then the end
 * of the sequence, then a completion message on output 2 (the summary, the tail log, the timings).
 */
const { asBuffer } = require('./as-buffer.js');
const { sequenceParts } = require('./sequence-parts.js');
const { failureFromEvent, functionFailure, describeFailure } = require('./task-failure.js');

function chunkMessage(base, util, payload, parts, lambda) {
  const out = util.cloneMessage(base);
  out.payload = payload;
  out.parts = parts;
  out.lambda = lambda;
  return out;
}

/**
 * Run one message in chunked mode. Resolves when the stream has ended; rejects with the failure (for
 * `done(err)`), after `msg.lambda.error` is set and the sequence was closed.
 * @example
 * await runChunked({ core, util: RED.util, input, context, buffers: true, msg, send, status })
 */
async function runChunked(call) {
  const { core, util, input, context, buffers, msg, send, status } = call;
  const base = util.cloneMessage(msg);
  delete base.payload;
  const seq = sequenceParts(util.generateId(), buffers, msg.parts);
  let bytes = 0;
  let start;
  status.calling();
  for await (const event of core.invokeStream(input, context)) {
    if (event.type === 'start') {
      start = event;
    } else if (event.type === 'chunk') {
      const payload = buffers ? asBuffer(core.chunkBytes(event)) : event.data;
      bytes += event.size;
      const lambda = { seq: event.seq, offset: event.offset, size: event.size, elapsedMs: event.elapsedMs };
      send([chunkMessage(base, util, payload, seq.next(), lambda), null]);
      status.streaming(seq.sent, bytes);
    } else if (event.type === 'complete') {
      const { type: _type, ...summary } = event;
      send([chunkMessage(base, util, seq.empty(), seq.end(), { final: true, ...summary }), null]);
      const completion = util.cloneMessage(base);
      completion.payload = summary;
      completion.lambda = { start };
      send([null, completion]);
      if (event.functionError !== undefined) {
        const failure = functionFailure(event.functionError);
        msg.lambda = { ...summary, error: describeFailure(core, failure) };
        status.failed(failure.code);
        throw failure;
      }
      status.done(event.statusCode, event.chunks, event.bytes);
    } else if (event.type === 'error') {
      const failure = failureFromEvent(event);
      if (seq.sent > 0) {
        const reset = chunkMessage(base, util, undefined, seq.abandon(), { final: true, error: event.code });
        delete reset.payload;
        reset.reset = true;
        send([reset, null]);
      }
      msg.lambda = { error: describeFailure(core, failure) };
      status.failed(event.code);
      throw failure;
    }
  }
}

module.exports = { runChunked };
