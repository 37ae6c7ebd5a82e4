import { resolve } from 'node:path';
import { InputError, ReadFileError, readRegularFile } from '../../index.js';

/**
 * The most a command reads from a file it is given (a task input, a workflow, standard input): the
 * largest payload the service takes (6 MB) with room for indentation and the rest of the input.
 */
export const MAX_CLI_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Why a file could not be read, in words (`it is a named pipe, not a regular file`).
 * @example
 * readFailureReason(error.cause) // 'it does not exist'
 */
export function readFailureReason(error: unknown): string {
  if (!(error instanceof ReadFileError)) return error instanceof Error ? error.message : String(error);
  const { failure } = error;
  switch (failure.kind) {
    case 'not-regular':
      return `it is ${failure.what}, not a regular file`;
    case 'too-large':
      return `it is larger than ${MAX_CLI_FILE_BYTES} bytes`;
    case 'aborted':
      return 'the read was cancelled';
    case 'error':
      return failure.code === 'ENOENT' ? 'it does not exist' : failure.code;
  }
}

function unreadable(flag: string, file: string, error: unknown): InputError {
  const reason = readFailureReason(error);
  const message = `${flag} ${file} cannot be read: ${reason}`;
  return new InputError(
    'INVALID_INPUT',
    message,
    [
      {
        location: 'input',
        path: flag.replace(/^--/, ''),
        keyword: 'file',
        message: `${flag} cannot be read: ${reason}`,
      },
    ],
    { cause: error },
  );
}

/** Standard input as text, refused once it passes the limit (a pipe from `yes` must not fill memory). */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin) {
    const piece = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += piece.byteLength;
    if (bytes > MAX_CLI_FILE_BYTES) throw new ReadFileError({ kind: 'too-large', bytes, atLeast: true });
    chunks.push(piece);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A file named on the command line, as UTF-8 text: a regular file of at most
 * {@link MAX_CLI_FILE_BYTES} (a pipe, a device such as `/dev/zero` or a directory is refused before
 * anything is read), or standard input for `-` when `stdin` is given. Throws an `InputError` naming
 * the flag.
 * @example
 * const text = await readTextFile('--input', 'task.json', io.cwd)
 */
export async function readTextFile(
  flag: string,
  file: string,
  cwd: string,
  stdin?: NodeJS.ReadableStream,
): Promise<string> {
  try {
    if (file === '-' && stdin !== undefined) return await readStdin(stdin);
    const bytes = await readRegularFile(resolve(cwd, file), { maxBytes: MAX_CLI_FILE_BYTES });
    return bytes.toString('utf8');
  } catch (error) {
    throw unreadable(flag, file, error);
  }
}
