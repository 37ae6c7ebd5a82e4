/**
 * The `responseStream` a streaming handler receives: a Writable whose every write becomes one
 * `PayloadChunk` on the wire as soon as it is written, and whose write callback completes only
 * when the socket has accepted the bytes, so `write()` returning false and `'drain'` mean what
 * they mean on any Node stream.
 */
import { Writable } from 'node:stream';
import type { LambdaResponseStream } from './streamify-response.js';

/** Where the stream's bytes go (the invocation's event-stream writer). */
export interface ResponseSink {
  /** Called once, before the first chunk or at the end, with the declared content type. */
  start(contentType: string | undefined): void;
  /** Send one chunk; resolves when the socket accepted it, rejects when the client is gone. */
  writeChunk(bytes: Uint8Array): Promise<void>;
}

/** A header value Node's HTTP client would refuse (the runtime sends the content type as one). */
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** The runtime's error for a stream operation that is not allowed (`Errors.js`). */
class InvalidStreamingOperation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Runtime.InvalidStreamingOperation';
  }
}

/** Writes the HTTP-integration prelude; set by `HttpResponseStream.from` (the runtime's property name). */
type BeforeFirstWrite = (write: (chunk: string | Uint8Array) => void) => void;

/** The Writable handed to streaming handlers. */
export class ResponseStream extends Writable implements LambdaResponseStream {
  /** Same property the Node runtime uses, so a vendored `HttpResponseStream` works here too. */
  _onBeforeFirstWrite: BeforeFirstWrite | undefined;
  private readonly sink: ResponseSink;
  private declaredContentType: string | undefined;
  private started = false;
  /** Set by the first `write()` call, as the runtime's status: content type is fixed from then on. */
  private writeCalled = false;

  constructor(sink: ResponseSink, highWaterMark?: number) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.sink = sink;
  }

  /** The content type declared so far. */
  get contentType(): string | undefined {
    return this.declaredContentType;
  }

  setContentType(contentType: string): void {
    if (this.started || this.writeCalled)
      throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    if (typeof contentType !== 'string' || INVALID_HEADER_CHAR.test(contentType)) {
      // What node:http's setHeader throws in the runtime, at the call rather than at the first write.
      const error = new TypeError('Invalid character in header content ["Content-Type"]');
      Object.assign(error, { code: 'ERR_INVALID_CHAR' });
      throw error;
    }
    this.declaredContentType = contentType;
  }

  /** As the runtime's stream: a value that is not a string or bytes is written as its JSON. */
  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const value =
      typeof chunk === 'string' || Buffer.isBuffer(chunk) || chunk?.constructor === Uint8Array
        ? chunk
        : JSON.stringify(chunk);
    this.writeCalled = true;
    return (super.write as (...args: unknown[]) => boolean)(value, encoding, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const prelude = this.begin();
    const send = async (): Promise<void> => {
      if (prelude) await this.sink.writeChunk(prelude);
      if (chunk.length > 0) await this.sink.writeChunk(chunk);
    };
    send().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    const prelude = this.begin();
    if (!prelude) {
      callback();
      return;
    }
    this.sink.writeChunk(prelude).then(() => callback(), callback);
  }

  /** Starts the response once; returns the prelude bytes to send first, if one was declared. */
  private begin(): Uint8Array | undefined {
    if (this.started) return undefined;
    this.started = true;
    this.sink.start(this.declaredContentType);
    const hook = this._onBeforeFirstWrite;
    if (!hook) return undefined;
    const parts: Buffer[] = [];
    hook((chunk) => {
      parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    });
    const prelude = Buffer.concat(parts);
    return prelude.length > 0 ? prelude : undefined;
  }
}
