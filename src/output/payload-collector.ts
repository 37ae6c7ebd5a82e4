import { createHash, type Hash, randomUUID } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OutputError } from '../errors.js';

/** Default cap of an aggregated payload held in memory. */
export const DEFAULT_MAX_AGGREGATED_BYTES = 20 * 1024 * 1024;

/** Spilled writes are batched to this size so small chunks do not cost one syscall each. */
const SPILL_BATCH_BYTES = 1024 * 1024;

/** The aggregated payload as the result carries it. */
export interface CollectedPayload {
  payload?: unknown;
  payloadEncoding: 'json' | 'utf8' | 'base64' | 'none';
  spill?: { path: string; bytes: number; sha256: string };
}

export interface PayloadCollectorOptions {
  maxBytes: number;
  encoding: 'utf8' | 'base64';
  /** Write the payload to a file here instead of holding it. */
  spillDirectory?: string | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: false });

/** Parsed JSON when the text is JSON, else the text itself. */
function interpret(bytes: Buffer, encoding: 'utf8' | 'base64'): CollectedPayload {
  if (bytes.byteLength === 0) return { payloadEncoding: 'none' };
  if (encoding === 'base64') return { payload: bytes.toString('base64'), payloadEncoding: 'base64' };
  const text = strictUtf8.decode(bytes);
  const first = text.trimStart()[0];
  // Only a JSON-looking start is worth a parse attempt; a huge plain text should not throw twice.
  if (first !== undefined && '{["-0123456789tfn'.includes(first)) {
    try {
      return { payload: JSON.parse(text) as unknown, payloadEncoding: 'json' };
    } catch {
      // not JSON: plain text below
    }
  }
  return { payload: text, payloadEncoding: 'utf8' };
}

/**
 * Collects an aggregated payload: parts are kept and joined once at the end (no repeated
 * copying), under a byte cap that ends the call with `OUTPUT_TOO_LARGE`; or, with a spill
 * directory, streamed to a file with its SHA-256, so payloads of hundreds of MB never sit in memory.
 * @example
 * const c = new PayloadCollector({ maxBytes: 1 << 20, encoding: 'utf8' }); await c.push(bytes); await c.finish()
 */
export class PayloadCollector {
  private parts: Uint8Array[] = [];
  private size = 0;
  private file: FileHandle | undefined;
  private filePath: string | undefined;
  private hash: Hash | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly options: PayloadCollectorOptions) {}

  /** Bytes collected so far. */
  get bytes(): number {
    return this.size;
  }

  /** Add one piece of the payload (kept by reference: the caller must not reuse it). */
  async push(bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength === 0) return;
    this.size += bytes.byteLength;
    if (this.options.spillDirectory !== undefined) {
      this.pending.push(bytes);
      this.pendingBytes += bytes.byteLength;
      if (this.pendingBytes >= SPILL_BATCH_BYTES) await this.flush();
      return;
    }
    if (this.size > this.options.maxBytes) {
      this.parts = [];
      throw new OutputError(
        'OUTPUT_TOO_LARGE',
        `The payload exceeds limits.maxAggregatedBytes (${this.options.maxBytes} bytes); raise the limit, set settings.spillDirectory, or use chunked output`,
        { details: { maxAggregatedBytes: this.options.maxBytes } },
      );
    }
    this.parts.push(bytes);
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const batch =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      if (this.file === undefined) {
        this.filePath = join(this.options.spillDirectory!, `payload-${randomUUID()}.bin`);
        this.file = await open(this.filePath, 'wx', 0o600);
        this.hash = createHash('sha256');
      }
      this.hash!.update(batch);
      let written = 0;
      while (written < batch.byteLength) {
        const { bytesWritten } = await this.file.write(batch, written, batch.byteLength - written);
        written += bytesWritten;
      }
    } catch (cause) {
      await this.abort();
      throw new OutputError('SPILL_FAILED', `Could not write the payload to ${this.options.spillDirectory}`, {
        cause,
      });
    }
  }

  /** The payload as the result carries it. */
  async finish(): Promise<CollectedPayload> {
    if (this.options.spillDirectory === undefined) {
      const joined = Buffer.concat(this.parts, this.size);
      this.parts = [];
      return interpret(joined, this.options.encoding);
    }
    if (this.size === 0) return { payloadEncoding: 'none' };
    await this.flush();
    try {
      await this.file!.close();
    } catch (cause) {
      throw new OutputError('SPILL_FAILED', `Could not close the spill file ${this.filePath}`, { cause });
    }
    this.file = undefined;
    return {
      payloadEncoding: 'none',
      spill: { path: this.filePath!, bytes: this.size, sha256: this.hash!.digest('hex') },
    };
  }

  /** The call failed: drop what was held and remove a partial spill file. */
  async abort(): Promise<void> {
    this.parts = [];
    this.pending = [];
    const file = this.file;
    this.file = undefined;
    if (file !== undefined) await file.close().catch(() => {});
    if (this.filePath !== undefined) await rm(this.filePath, { force: true }).catch(() => {});
  }
}
