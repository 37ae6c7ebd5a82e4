/**
 * `--payload` as AWS CLI v2 reads it: `fileb://PATH` is the file's bytes; `file://PATH` is the file's
 * text; anything else is the text itself. Text is base64 that is decoded (v2's default,
 * `--cli-binary-format base64`) or, with `--cli-binary-format raw-in-base64-out`, the bytes as written.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../../index.js';
import type { BinaryFormat } from './aws-cli-args.js';
import { usageError } from './aws-cli-args.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

async function readParamFile(path: string, maxBytes: number): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new Error('it is a directory');
    if (info.size > maxBytes) {
      throw new InputError(
        'PAYLOAD_TOO_LARGE',
        `--payload: ${path} has ${info.size} bytes, over the limit of ${maxBytes}`,
        [{ location: 'body', path: '--payload', keyword: 'maxBytes', message: `at most ${maxBytes} bytes` }],
      );
    }
    return await readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw usageError(
      '--payload',
      `Error parsing parameter '--payload': Unable to load paramfile ${path}: ${why}`,
    );
  }
}

/**
 * The request body the AWS CLI would send for `--payload` (`undefined` when it was not given).
 * @example
 * await awsCliPayload('eyJhIjoxfQ==', 'base64', process.cwd(), 6291456) // the bytes of {"a":1}
 */
export async function awsCliPayload(
  payload: string | undefined,
  format: BinaryFormat,
  cwd: string,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (payload === undefined) return undefined;
  if (payload.startsWith('fileb://')) return readParamFile(resolve(cwd, payload.slice(8)), maxBytes);
  const text = payload.startsWith('file://')
    ? (await readParamFile(resolve(cwd, payload.slice(7)), maxBytes)).toString('utf8')
    : payload;
  if (format === 'raw-in-base64-out') return Buffer.from(text, 'utf8');
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw usageError(
      '--payload',
      `Invalid base64: ${JSON.stringify(shown)} (AWS CLI v2 reads --payload as base64; add --cli-binary-format raw-in-base64-out to send text as written)`,
    );
  }
  return Buffer.from(compact, 'base64');
}
