/**
 * A Buffer over the same memory as the core's bytes: a flow's nodes expect Buffers (`Buffer.isBuffer`,
 * the join node's `buffer` mode), and the core's `bytes` are plain Uint8Arrays it never reuses, so a
 * view is enough and nothing is copied.
 * @example
 * asBuffer(new Uint8Array([104, 105])).toString() // 'hi'
 */
function asBuffer(bytes) {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

module.exports = { asBuffer };
