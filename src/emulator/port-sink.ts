/**
 * The response sink inside an instance: each chunk is copied into its own buffer and transferred to
 * the emulator, which writes it to the client and returns credit with `ack`. A write completes at
 * once while less than a window of bytes is unacknowledged, so the thread hop costs no round trip
 * per chunk, and waits beyond it: the client's backpressure still reaches the handler, bounded.
 */
import type { MessagePort } from 'node:worker_threads';
import type { FromInstance } from './instance-messages.js';
import type { ResponseSink } from './response-stream.js';

/** Unacknowledged bytes a handler may have in flight before its writes wait. */
export const CREDIT_WINDOW_BYTES = 1024 * 1024;

export class PortSink implements ResponseSink {
  private readonly port: MessagePort;
  private inFlight = 0;
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private gone = false;

  constructor(port: MessagePort) {
    this.port = port;
  }

  start(contentType: string | undefined): void {
    this.post({ type: 'start', contentType });
  }

  writeChunk(bytes: Uint8Array): Promise<void> {
    if (this.gone) return Promise.reject(new Error('The client closed the connection'));
    // A copy of exactly these bytes: transferring the handler's own buffer would detach it.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    this.inFlight += copy.byteLength;
    this.port.postMessage({ type: 'chunk', bytes: copy } satisfies FromInstance, [copy.buffer]);
    if (this.inFlight <= CREDIT_WINDOW_BYTES) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Credit back from the emulator. */
  ack(bytes: number): void {
    this.inFlight -= bytes;
    while (this.inFlight <= CREDIT_WINDOW_BYTES && this.waiters.length > 0) this.waiters.shift()?.resolve();
  }

  /** The client is gone: every waiting and later write fails. */
  abort(): void {
    this.gone = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('The client closed the connection'));
  }

  private post(message: FromInstance): void {
    this.port.postMessage(message);
  }
}
