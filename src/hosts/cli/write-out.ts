/**
 * Write to a stream and wait when it asks us to (backpressure), so a slow pipe slows the pull from
 * the socket instead of growing memory. Settles on close or error too, so a closed pipe cannot hang us.
 */
export function writeOut(stream: NodeJS.WritableStream, data: string | Uint8Array): Promise<void> {
  if (stream.write(data)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('close', done);
      stream.removeListener('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}
