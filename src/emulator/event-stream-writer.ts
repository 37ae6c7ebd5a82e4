/**
 * Writes one invocation's event stream to the HTTP response: each chunk becomes a `PayloadChunk`
 * message as it comes, with the socket's backpressure passed back to the caller, then one
 * `InvokeComplete`. The stream-level faults (delays, drop, corrupt CRC, truncation, missing
 * completion) are applied here, message by message, so they are exact and repeatable.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeInvokeComplete, type InvokeCompleteFields } from './encode-invoke-complete.js';
import { encodePayloadChunk, encodePayloadChunkParts } from './encode-payload-chunk.js';
import type { FaultSpec } from './faults.js';

/** The largest payload of one `PayloadChunk` the emulator sends. */
export const MAX_CHUNK_BYTES = 1024 * 1024;

/** Payloads at least this large are written without being copied into the message. */
const ZERO_COPY_BYTES = 16 * 1024;

/** The error writes fail with once the client is gone (or a fault dropped it). */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection');
    this.name = 'ClientGoneError';
  }
}

export class EventStreamWriter {
  private readonly res: ServerResponse;
  private readonly faults: FaultSpec;
  private readonly sendHeaders: (contentType: string | undefined) => void;
  private readonly stop = new AbortController();
  private started = false;
  private ended = false;
  private chunks = 0;
  private messages = 0;
  /** Serialises writes: a chunk's delay or backpressure holds the ones behind it. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    res: ServerResponse,
    faults: FaultSpec,
    sendHeaders: (contentType: string | undefined) => void,
  ) {
    this.res = res;
    this.faults = faults;
    this.sendHeaders = sendHeaders;
    res.once('close', () => this.stop.abort());
  }

  /** How many `PayloadChunk`s went out. */
  get chunksSent(): number {
    return this.chunks;
  }

  /** True once the body has ended or the connection is gone. */
  get closed(): boolean {
    return this.ended || this.stop.signal.aborted || this.res.destroyed;
  }

  /** Send the response headers (once), with the content type the handler declared. */
  start(contentType: string | undefined): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.sendHeaders(contentType);
    this.res.flushHeaders();
    if (this.faults.dropAfterChunks === 0) this.drop();
  }

  /**
   * Send the bytes as `PayloadChunk`s of at most 1 MiB (one large write would otherwise become a
   * message over what clients accept); resolves when the socket took them, rejects when the client
   * is gone.
   */
  writeChunk(payload: Uint8Array): Promise<void> {
    let next = this.queue;
    for (let at = 0; at === 0 || at < payload.length; at += MAX_CHUNK_BYTES) {
      const part = payload.subarray(at, at + MAX_CHUNK_BYTES);
      next = next.then(() => this.sendChunk(part));
    }
    this.queue = next.catch(() => {});
    return next;
  }

  /** Send `InvokeComplete` (unless a fault omits it) and end the body. */
  complete(fields: InvokeCompleteFields): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.closed) return;
      this.start(undefined);
      if (this.closed) return;
      if (!this.faults.omitComplete) await this.sendMessage(encodeInvokeComplete(fields));
      this.end();
    });
    this.queue = next.catch(() => {});
    return next.catch(() => {});
  }

  /** End the body without completing (the emulator is closing). */
  abort(): void {
    this.stop.abort();
    if (!this.res.destroyed) this.res.destroy();
  }

  private async sendChunk(payload: Uint8Array): Promise<void> {
    if (this.closed) throw new ClientGoneError();
    this.start(undefined);
    const delay = this.chunks === 0 ? this.faults.delayFirstChunkMs : this.faults.delayBetweenChunksMs;
    if (delay) {
      try {
        await sleep(delay, undefined, { signal: this.stop.signal });
      } catch {
        throw new ClientGoneError();
      }
    }
    if (this.closed) throw new ClientGoneError();
    this.chunks += 1;
    const index = this.chunks;
    const needsWhole =
      this.faults.corruptChunk === index || this.faults.truncateMessage === this.messages + 1;
    if (payload.length >= ZERO_COPY_BYTES && !needsWhole) {
      const { prefix, suffix } = encodePayloadChunkParts(payload);
      this.messages += 1;
      this.res.cork();
      this.res.write(prefix);
      this.res.write(payload);
      const flowing = this.res.write(suffix);
      process.nextTick(() => this.res.uncork());
      if (!flowing) await this.drained();
    } else {
      const message = encodePayloadChunk(payload);
      if (this.faults.corruptChunk === index) {
        const last = message.length - 1;
        message[last] = (message[last] ?? 0) ^ 0xff;
      }
      await this.sendMessage(message);
    }
    if (this.faults.dropAfterChunks !== undefined && this.chunks >= this.faults.dropAfterChunks) {
      this.drop();
      throw new ClientGoneError();
    }
  }

  private async sendMessage(message: Uint8Array): Promise<void> {
    if (this.closed) throw new ClientGoneError();
    this.messages += 1;
    if (this.faults.truncateMessage === this.messages) {
      this.res.write(message.subarray(0, Math.floor(message.length / 2)));
      this.end();
      throw new ClientGoneError();
    }
    if (!this.res.write(message)) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new ClientGoneError());
        return;
      }
      const onDrain = (): void => {
        this.stop.signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.res.off('drain', onDrain);
        reject(new ClientGoneError());
      };
      this.res.once('drain', onDrain);
      this.stop.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.res.end();
  }

  /**
   * Cut the connection mid-body. The socket is ended rather than destroyed so the chunks already
   * written reach the client first; without the chunked terminator the client sees a cut body.
   * The cut waits one turn of the event loop: node:http (Node 22 and later) corks a response's writes
   * until the next tick, and ending the socket before then would discard them, headers included.
   */
  private drop(): void {
    this.stop.abort();
    const socket = this.res.socket;
    if (!socket) {
      this.res.destroy();
      return;
    }
    setImmediate(() => {
      socket.once('finish', () => socket.destroy());
      socket.end();
    });
  }
}
