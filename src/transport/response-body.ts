import type { IncomingMessage } from 'node:http';
import type { TaskError } from '../errors.js';

/** The response body: pull-driven (the socket is read only as fast as `next()` is called). */
export interface ResponseBody extends AsyncIterableIterator<Uint8Array> {
  /** Stop reading and close the connection (a no-op once the body has ended). */
  return(): Promise<IteratorResult<Uint8Array>>;
}

/** Body bytes read ahead of the consumer before the response is paused. */
const READ_AHEAD_BYTES = 128 * 1024;

/** What the body reader needs from the call that owns the socket. */
export interface BodyOwner {
  /** Start the idle deadline: the reader is waiting for bytes. */
  waiting(): void;
  /** The consumer stopped early: close the connection. */
  close(): void;
}

/**
 * The body of one response, taken one `'data'` piece at a time (`read()` would concatenate, that is
 * copy, whatever is buffered). While the consumer works, up to READ_AHEAD_BYTES wait here; past that
 * the response is paused, so the socket is read only as fast as the consumer pulls, plus a bounded
 * read-ahead that saves pausing and resuming the socket on every read.
 * @example
 * const reader = new BodyReader(res, owner); for await (const bytes of reader.body) …
 */
export class BodyReader {
  readonly body: ResponseBody;
  #queue: Buffer[] = [];
  #queued = 0;
  #paused = false;
  /** Ended, failed or closed: no more bytes will come. */
  #done = false;
  #failure: TaskError | undefined;
  #waiter: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;

  constructor(
    private readonly res: IncomingMessage,
    private readonly owner: BodyOwner,
  ) {
    res.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.body = {
      next: () => this.#next(),
      return: () => this.#return(),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Whether a consumer is waiting for bytes (an idle deadline then fails the call). */
  get waiting(): boolean {
    return this.#waiter !== undefined;
  }

  /** The body ended normally. */
  end(): void {
    this.#done = true;
    this.#settle({ done: true, value: undefined });
  }

  /** The call failed: every read from now on rejects with `error`. */
  fail(error: TaskError): void {
    this.#done = true;
    this.#failure = error;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(error);
  }

  #settle(result: IteratorResult<Uint8Array>): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.resolve(result);
  }

  #onData(chunk: Buffer): void {
    if (this.#waiter !== undefined) {
      this.#settle({ done: false, value: chunk });
      return;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.byteLength;
    if (!this.#paused && this.#queued >= READ_AHEAD_BYTES) {
      this.#paused = true;
      this.res.pause();
    }
  }

  #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      this.#queued -= chunk.byteLength;
      if (this.#paused && this.#queued < READ_AHEAD_BYTES) {
        this.#paused = false;
        this.res.resume();
      }
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#done) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.owner.waiting();
    });
  }

  #return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.#done) {
      this.#done = true;
      this.owner.close();
    }
    this.#settle({ done: true, value: undefined });
    return Promise.resolve({ done: true, value: undefined });
  }
}
