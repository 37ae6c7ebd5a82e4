import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError, isTaskError, TransportError } from '../errors.js';
import { ReadFileError, readRegularFile } from './read-regular-file.js';

/** The synchronous invoke request limit (6 MB as the service counts it). */
export const MAX_REQUEST_PAYLOAD_BYTES = 6_291_456;

export interface ReadPayloadOptions {
  /** The body member's name, used in error messages (`body.Payload`). */
  field: string;
  /** Where relative `file://` paths start. */
  cwd: string;
  maxBytes?: number;
  /** A string starting with this names a file to send (default `file://`). */
  fileReferencePrefix?: string | undefined;
  /**
   * When set, a `file://` payload must resolve (links followed) to a file inside this folder.
   * Unset, any readable file may be sent, as with the AWS CLI's `file://`.
   */
  payloadRoot?: string | undefined;
  /** Stops reading a `file://` payload: the call's total deadline or the host's cancel. */
  signal?: AbortSignal | undefined;
}

/** Whether `path` (links resolved) lies inside `root` (links resolved). */
async function isInside(root: string, path: string): Promise<boolean> {
  const [realRoot, realPath] = await Promise.all([realpath(root), realpath(path)]);
  const rel = relative(realRoot, realPath);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function tooLarge(field: string, bytes: number, max: number, atLeast = false): InputError {
  const message = `${field} is ${atLeast ? `more than ${max}` : bytes} bytes; the limit is ${max} bytes`;
  return new InputError('PAYLOAD_TOO_LARGE', message, [
    { location: 'body', path: field, keyword: 'maxBytes', message },
  ]);
}

function fileError(field: string, path: string, why: string, cause?: unknown): InputError {
  const message = `${field} names file ${path}, which ${why}`;
  return new InputError(
    'PAYLOAD_FILE',
    message,
    [{ location: 'body', path: field, keyword: 'file', message }],
    cause === undefined ? {} : { cause },
  );
}

/** What a failed read of a payload file becomes: the caller's error, or the call's deadline or cancel. */
function readFailure(error: unknown, field: string, path: string, max: number): unknown {
  if (isTaskError(error)) return error;
  if (!(error instanceof ReadFileError)) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return typeof code === 'string'
      ? readFailure(new ReadFileError({ kind: 'error', code, cause: error }), field, path, max)
      : error;
  }
  const { failure } = error;
  switch (failure.kind) {
    case 'not-regular':
      return fileError(field, path, `is ${failure.what}, not a regular file`);
    case 'too-large':
      return tooLarge(field, failure.bytes, max, failure.atLeast);
    case 'aborted':
      return isTaskError(failure.reason)
        ? failure.reason
        : new TransportError('ABORTED', 'The call was cancelled', { cause: failure.reason });
    case 'error':
      return fileError(
        field,
        path,
        failure.code === 'ENOENT' ? 'does not exist' : `cannot be read (${failure.code})`,
        failure.cause,
      );
  }
}

/** A `file://` payload: a regular file only, read up to the limit plus one byte, stopped by `signal`. */
async function readPayloadFile(raw: string, options: ReadPayloadOptions, max: number): Promise<Uint8Array> {
  if (raw === '') throw fileError(options.field, '(empty path)', 'is not a file path');
  const path = isAbsolute(raw) ? raw : resolve(options.cwd, raw);
  try {
    if (options.payloadRoot !== undefined && !(await isInside(options.payloadRoot, path))) {
      throw fileError(options.field, raw, 'is outside the folder payload files may be read from');
    }
    return await readRegularFile(path, { maxBytes: max, signal: options.signal });
  } catch (error) {
    throw readFailure(error, options.field, path, max);
  }
}

/**
 * The request body as bytes: a JSON value is serialised, a string is sent as is, and a
 * `file://path` string is read now (relative to `cwd`, or absolute): only a regular file (not a
 * pipe or a device such as `/dev/zero`), never more than the limit plus one byte, and no longer than
 * `signal` allows.
 * @example
 * await readPayload({ hello: 'world' }, { field: 'body.Payload', cwd: process.cwd() })
 */
export async function readPayload(value: unknown, options: ReadPayloadOptions): Promise<Uint8Array> {
  const max = options.maxBytes ?? MAX_REQUEST_PAYLOAD_BYTES;
  const prefix = options.fileReferencePrefix ?? DEFAULT_FILE_PREFIX;
  let bytes: Uint8Array;
  if (value === undefined) return new Uint8Array(0);
  if (value instanceof Uint8Array) {
    bytes = value;
  } else if (isFileReference(value, prefix)) {
    bytes = await readPayloadFile(value.slice(prefix.length), options, max);
  } else if (typeof value === 'string') {
    bytes = Buffer.from(value, 'utf8');
  } else {
    bytes = Buffer.from(serialise(value, options.field), 'utf8');
  }
  if (bytes.byteLength > max) throw tooLarge(options.field, bytes.byteLength, max);
  return bytes;
}

const DEFAULT_FILE_PREFIX = 'file://';

/**
 * Whether a payload value names a file (a string with the definition's file-reference prefix), that
 * is, whether building the request will read a file.
 * @example
 * isFileReference('file://payload.json', 'file://') // true
 */
export function isFileReference(value: unknown, prefix: string | undefined): value is string {
  const p = prefix ?? DEFAULT_FILE_PREFIX;
  return typeof value === 'string' && p !== '' && value.startsWith(p);
}

/** JSON text of a payload value; a value JSON cannot carry (BigInt, a cycle, a function) is the caller's error. */
function serialise(value: unknown, field: string): string {
  let text: string | undefined;
  let cause: unknown;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    cause = error;
  }
  if (text !== undefined) return text;
  const message = `${field} must be a JSON value, a string or a file reference (it cannot be serialised as JSON)`;
  throw new InputError(
    'INVALID_INPUT',
    message,
    [{ location: 'body', path: field, keyword: 'type', message }],
    {
      cause,
    },
  );
}
