/**
 * `lambda-stream emulate`: runs the local emulator until SIGINT/SIGTERM and prints the environment a
 * client (this task, the AWS SDK or CLI) needs to use it. The emulator serves its own API and reads
 * no task definition, so `--manifest` is refused with the way to use a definition against it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type EmulatorCredentials, startEmulator } from '../../emulator/index.js';
import { InputError, loadManifest, redact, secrets } from '../../index.js';
import { definitionFlags } from './definition-flags.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { refuseManifest } from './load-definition.js';

const HELP = `Usage: lambda-stream emulate [--port N] [--host 127.0.0.1] [--functions DIR] [--credentials FILE] [--watch]

Runs the local emulator endpoint (both invoke operations, streamed and buffered), which runs the
functions in DIR (NAME.js, NAME.mjs, NAME.ts or NAME/index.*; optional NAME.config.json), each
instance in its own sandbox (a worker thread), until Ctrl-C.

Options:
  --port N            port to listen on (default 0: any free port)
  --host HOST         interface to listen on (default 127.0.0.1, loopback only)
  --functions DIR     the functions folder (default: the sample functions shipped with the package)
  --credentials FILE  JSON array of { "accessKeyId", "secretAccessKey" } accepted for SigV4
                      (default: the access key id 'test' with the secret 'test')
  --watch             start fresh instances of a function when its files change (prints which)
  -h, --help          this help

The emulator reads no task definition (--manifest is refused): to run a definition against it, start
it here and point 'lambda-stream run --manifest FILE --endpoint-url URL' at the URL it prints.
Function logs go to standard error. A request header 'x-emulator-fault' (JSON) injects faults;
see the README section "Local emulator".
`;

interface EmulateArgs {
  port?: number;
  host?: string;
  functionsDir?: string;
  credentialsFile?: string;
  watch?: boolean;
}

function parseArgs(args: string[], cwd: string): EmulateArgs {
  const out: EmulateArgs = {};
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) {
        throw new InputError('INVALID_INPUT', `${flag} needs a value`, [
          { location: 'input', path: String(flag), keyword: 'required', message: `${flag} needs a value` },
        ]);
      }
      i += 1;
      return value;
    };
    switch (flag) {
      case '--port': {
        const text = need();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) {
          throw new InputError('INVALID_INPUT', '--port must be an integer from 0 to 65535', [
            {
              location: 'input',
              path: '--port',
              keyword: 'range',
              message: '--port must be an integer from 0 to 65535',
            },
          ]);
        }
        out.port = port;
        break;
      }
      case '--host':
        out.host = need();
        break;
      case '--functions':
        out.functionsDir = resolve(cwd, need());
        break;
      case '--credentials':
        out.credentialsFile = resolve(cwd, need());
        break;
      case '--watch':
        out.watch = true;
        break;
      case '--manifest':
        throw refuseManifest(
          'emulate',
          'the emulator serves its own API and reads no task definition',
          "run 'lambda-stream run --manifest FILE --endpoint-url URL' against the URL it prints",
        );
      default:
        throw new InputError('INVALID_INPUT', `unknown option '${flag}' (see --help)`, [
          { location: 'input', path: String(flag), keyword: 'unknown', message: `unknown option '${flag}'` },
        ]);
    }
  }
  return out;
}

async function readCredentials(file: string): Promise<EmulatorCredentials[]> {
  const issue = (message: string): InputError =>
    new InputError('INVALID_INPUT', message, [
      { location: 'input', path: '--credentials', keyword: 'file', message },
    ]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error: unknown) {
    throw issue(`--credentials: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw issue(`--credentials: ${file} is not valid JSON`);
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw issue(
      '--credentials: the file must hold a non-empty JSON array of { accessKeyId, secretAccessKey }',
    );
  }
  return value.map((entry: unknown, i) => {
    const c = entry as Partial<EmulatorCredentials> | null;
    if (
      !c ||
      typeof c.accessKeyId !== 'string' ||
      !c.accessKeyId ||
      typeof c.secretAccessKey !== 'string' ||
      !c.secretAccessKey
    ) {
      throw issue(`--credentials: entry ${i} must have non-empty string accessKeyId and secretAccessKey`);
    }
    // Registered so anything printed later masks them.
    secrets.addCredentials({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey });
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  });
}

/**
 * The command with its stop signal injectable (tests abort it; the CLI stops on SIGINT/SIGTERM).
 * @example
 * const stop = new AbortController();
 * const done = runEmulate(['--port', '0'], io, stop.signal);
 * stop.abort(); await done;
 */
export async function runEmulate(args: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let custom = false;
  try {
    const parsed = parseArgs(args, io.cwd);
    const options: Parameters<typeof startEmulator>[0] = {
      onLog: (line) => void io.stderr.write(`${redact(line)}\n`),
    };
    if (parsed.port !== undefined) options.port = parsed.port;
    if (parsed.host !== undefined) options.host = parsed.host;
    if (parsed.functionsDir !== undefined) options.functionsDir = parsed.functionsDir;
    if (parsed.watch) options.watch = true;
    if (parsed.credentialsFile !== undefined) {
      options.credentials = await readCredentials(parsed.credentialsFile);
      custom = true;
    }
    emulator = await startEmulator(options);
  } catch (error: unknown) {
    return reportError(io, 'emulate', error, false);
  }
  const keys = custom
    ? '  # sign with one of the key pairs in your --credentials file\n'
    : '  export AWS_ACCESS_KEY_ID=test\n  export AWS_SECRET_ACCESS_KEY=test\n';
  // The variables the packaged definition reads for its endpoint and region.
  const { env } = definitionFlags(loadManifest());
  const endpoint = env.endpoint === undefined ? '' : `  export ${env.endpoint}=${emulator.url}\n`;
  const region = env.region === undefined ? '' : `  export ${env.region}=us-east-1\n`;
  io.stdout.write(
    `Emulator listening on ${emulator.url}\n` +
      `Functions: ${emulator.functions.join(', ') || '(none yet)'}\n\n` +
      `Point a client at it:\n${endpoint}${keys}${region}\n` +
      'Press Ctrl-C to stop.\n',
  );
  try {
    await new Promise<void>((done) => {
      if (stop.aborted) done();
      else stop.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    await emulator.close();
  }
  io.stdout.write('Emulator stopped.\n');
  return EXIT.ok;
}

/** `lambda-stream emulate`: runs until SIGINT or SIGTERM. */
export const emulateCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runEmulate(args, io, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
