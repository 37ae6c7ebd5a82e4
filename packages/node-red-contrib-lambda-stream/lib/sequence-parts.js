/**
 * `msg.parts` for a streamed response, as Node-RED's split node writes them, so the core join node in
 * automatic mode reassembles the exact bytes. The number of chunks is known only when the stream
 * completes, so the sequence ends with one more message with an empty payload and `parts.count`
 * (what a split node in streaming mode does too); a stream that fails midway ends with `reset`, which
 * makes a join node drop the incomplete group instead of holding it forever.
 */

/**
 * The parts of one response's sequence. `outer` is the input message's own `msg.parts`, if any: it is
 * kept underneath (`parts.parts`), as the split node does, so nested sequences survive a join.
 * @example
 * const seq = sequenceParts(RED.util.generateId(), true)
 * seq.next()     // { id, index: 0, type: 'buffer', ch: '' }
 * seq.end()      // { id, index: 1, count: 2, type: 'buffer', ch: '' }
 */
function sequenceParts(id, buffers, outer) {
  const type = buffers ? 'buffer' : 'string';
  let index = 0;
  const parts = (extra) => {
    const p = { id, index, type, ch: '', ...extra };
    if (outer !== undefined) p.parts = outer;
    return p;
  };
  return {
    get sent() {
      return index;
    },
    next() {
      const p = parts({});
      index += 1;
      return p;
    },
    end() {
      return parts({ count: index + 1 });
    },
    abandon() {
      return parts({});
    },
    empty() {
      return buffers ? Buffer.alloc(0) : '';
    },
  };
}

module.exports = { sequenceParts };
