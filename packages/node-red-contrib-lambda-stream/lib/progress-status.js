/**
 * The node's status under its icon: streaming progress, done, or the error. Status updates travel to
 * every open editor, so during a stream they are sent at most every 250 ms (the last one always).
 */

const EVERY_MS = 250;

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Status reporting for one node; `inFlight` is how many calls run now.
 * @example
 * const status = progressStatus(node); status.streaming(3, 1200); status.done('200, 3 chunks')
 */
function progressStatus(node, now = Date.now) {
  let last = 0;
  return {
    calling() {
      node.status({ fill: 'blue', shape: 'ring', text: 'calling…' });
    },
    streaming(chunks, bytes) {
      const t = now();
      if (t - last < EVERY_MS) return;
      last = t;
      node.status({
        fill: 'blue',
        shape: 'dot',
        text: `streaming: ${chunks} chunk(s), ${formatBytes(bytes)}`,
      });
    },
    done(statusCode, chunks, bytes) {
      last = 0;
      node.status({
        fill: 'green',
        shape: 'dot',
        text: `done: ${statusCode}, ${chunks} chunk(s), ${formatBytes(bytes)}`,
      });
    },
    failed(code) {
      last = 0;
      node.status({ fill: 'red', shape: 'dot', text: code });
    },
    clear() {
      node.status({});
    },
  };
}

module.exports = { progressStatus, formatBytes };
