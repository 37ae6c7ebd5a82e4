import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Why a file could not be read: not a regular file, over the limit, cancelled, or an errno code. */
export type ReadFileFailure =
  | { kind: 'not-regular'; what: string }
  /** `bytes`: the size from `stat`, or (`atLeast`) the bytes read when the limit was passed. */
  | { kind: 'too-large'; bytes: number; atLeast: boolean }
  | { kind: 'aborted'; reason: unknown }
  | { kind: 'error'; code: string; cause: unknown };

/** Thrown by {@link readRegularFile}; the caller turns it into its own coded error. */
export class ReadFileError extends Error {
  constructor(readonly failure: ReadFileFailure) {
    super(`cannot read the file (${failure.kind})`);
    this.name = 'ReadFileError';
  }
}

export interface ReadRegularFileOptions {
  /** The largest size accepted; one byte more is read at most, so the excess is proven without reading it. */
  maxBytes: number;
  /** Stops the read (a deadline or the host's cancel); the file is closed. */
  signal?: AbortSignal | undefined;
}

/** The errno of a failed file operation (an input/output error when the failure carries none). */
function errnoFailure(cause: unknown): ReadFileError {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new ReadFileError({ kind: 'error', code: errno ?? UNKNOWN_ERRNO, cause });
}

const UNKNOWN_ERRNO = 'EIO';

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Read a regular file of at most `maxBytes`, whatever the path names. It is opened without blocking
 * (a named pipe with no writer would hold the open forever) and checked on the open handle, so a file
 * swapped after a check cannot slip through; a device such as `/dev/zero` reports size 0, so the size
 * is enforced while reading, not trusted from `stat`. Each read checks `signal`.
 * @throws ReadFileError
 * @example
 * const bytes = await readRegularFile('/tmp/payload.json', { maxBytes: 6_291_456, signal })
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<Buffer> {
  const { maxBytes, signal } = options;
  const stop = (): never => {
    throw new ReadFileError({ kind: 'aborted', reason: signal?.reason });
  };
  if (signal?.aborted) stop();
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    throw errnoFailure(cause);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ReadFileError({ kind: 'not-regular', what: kindOf(info) });
    if (info.size > maxBytes)
      throw new ReadFileError({ kind: 'too-large', bytes: info.size, atLeast: false });
    // Read into a buffer of at most maxBytes + 1: one byte over the limit proves the file too large
    // (it may have grown since the check) without reading the rest.
    const cap = maxBytes + 1;
    let buffer = Buffer.allocUnsafe(Math.min(cap, Math.max(info.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (signal?.aborted) stop();
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(cap, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new ReadFileError({ kind: 'too-large', bytes: length, atLeast: true });
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ReadFileError) throw error;
    throw errnoFailure(error);
  } finally {
    await handle.close();
  }
}
