import { StreamError } from '../errors.js';

/** What an HTTP-integration function declared with `HttpResponseStream.from(...)`. */
export interface HttpIntegrationResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** A prelude larger than this without its delimiter is not a prelude: fail rather than buffer on. */
export const MAX_PRELUDE_BYTES = 1024 * 1024;

function parsePrelude(bytes: Uint8Array): HttpIntegrationResponse {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (cause) {
    throw new StreamError('STREAM_MALFORMED', 'The HTTP-integration prelude is not JSON', { cause });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StreamError('STREAM_MALFORMED', 'The HTTP-integration prelude is not a JSON object');
  }
  const raw = value as Record<string, unknown>;
  const out: HttpIntegrationResponse = {};
  if (typeof raw.statusCode === 'number') out.statusCode = raw.statusCode;
  if (raw.headers !== null && typeof raw.headers === 'object' && !Array.isArray(raw.headers)) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw.headers as Record<string, unknown>)) {
      if (v !== undefined && v !== null) headers[k] = String(v);
    }
    out.headers = headers;
  }
  if (Array.isArray(raw.cookies)) out.cookies = raw.cookies.map(String);
  return out;
}

/**
 * Strips the JSON prelude and its delimiter (8 NUL bytes) from the front of an HTTP-integration
 * payload, whatever the chunk boundaries: `push` returns the payload bytes that follow it (a view,
 * no copy once the prelude is done; the prelude's own pieces are copied, so a caller may reuse its buffers).
 * @example
 * const p = new PreludeSplitter(new Uint8Array(8)); const rest = p.push(chunk); p.response // { statusCode: 200, … }
 */
export class PreludeSplitter {
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private done = false;
  /** The parsed prelude, once the delimiter has been seen. */
  response: HttpIntegrationResponse | undefined;

  constructor(
    private readonly delimiter: Uint8Array,
    private readonly maxBytes: number = MAX_PRELUDE_BYTES,
  ) {}

  /** True once the prelude has been read and removed. */
  get complete(): boolean {
    return this.done;
  }

  /** Feed one chunk; returns what of it is payload (empty while the prelude is still arriving). */
  push(chunk: Uint8Array): Uint8Array {
    if (this.done) return chunk;
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.byteLength;
    const all = this.buffered.length === 1 ? chunk : Buffer.concat(this.buffered, this.bufferedBytes);
    const at = Buffer.from(all.buffer, all.byteOffset, all.byteLength).indexOf(this.delimiter);
    if (at < 0) {
      if (this.bufferedBytes > this.maxBytes) {
        throw new StreamError(
          'STREAM_MALFORMED',
          `The HTTP-integration prelude has no delimiter within ${this.maxBytes} bytes`,
        );
      }
      // Kept as a copy: the executor's chunk bytes are only valid until its next read.
      this.buffered = [all === chunk ? chunk.slice() : all];
      return new Uint8Array(0);
    }
    this.response = parsePrelude(all.subarray(0, at));
    this.done = true;
    this.buffered = [];
    return all.subarray(at + this.delimiter.byteLength);
  }

  /** At the end of the payload: a prelude that never ended is an error. */
  finish(): void {
    if (!this.done && this.bufferedBytes > 0) {
      throw new StreamError('STREAM_MALFORMED', 'The payload ended inside its HTTP-integration prelude');
    }
  }
}

/** The delimiter bytes from their hex spelling in the definition. */
export function delimiterFromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
