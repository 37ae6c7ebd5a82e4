/**
 * `lambda-stream designer`: serves the designer page on loopback and prints its URL (with the token)
 * until SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, isTaskError, redact } from '../../index.js';
import { type DesignerOptions, startDesigner } from '../designer/index.js';
import type { CliCommand, CliIO } from './io.js';
import { untilSignal } from './until-signal.js';

const HELP = `Usage: lambda-stream designer [--manifest FILE] [--port N] [--host HOST]

Serves a local web page that shows the definition (its API reference and a form from its schemas)
and runs a live Test request: chunks as they arrive, a timeline, the output, the log, the curl
command, and an export of the configured task. Open the printed URL (it carries a random token).

With no endpoint and no region configured, calls go to a local emulator with the sample functions;
otherwise to AWS or the configured endpoint, with credentials from the AWS chain. Credentials never
reach the page.

Options:
  --manifest FILE  another definition (default: the package's manifest.json)
  --port N         port to listen on (default 0: any free port)
  --host HOST      interface to listen on (default 127.0.0.1, loopback only)
  -h, --help       this help
`;

function usageError(message: string): InputError {
  return new InputError('INVALID_INPUT', message, [
    { location: 'input', path: 'argv', keyword: 'usage', message },
  ]);
}

function options(args: string[], cwd: string): DesignerOptions & { help: boolean } {
  let values: { manifest?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        manifest: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  const out: DesignerOptions & { help: boolean } = { help: values.help === true };
  if (values.manifest !== undefined) out.manifest = resolve(cwd, values.manifest);
  if (values.host !== undefined) out.host = values.host;
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw usageError('--port must be an integer from 0 to 65535');
    out.port = port;
  }
  return out;
}

/**
 * The command with its stop signal injectable (tests abort it; the CLI stops on SIGINT/SIGTERM).
 * @example
 * const stop = new AbortController();
 * const done = runDesigner(['--port', '0'], io, stop.signal);
 * stop.abort(); await done;
 */
export async function runDesigner(args: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  let designer: Awaited<ReturnType<typeof startDesigner>>;
  try {
    const parsed = options(args, io.cwd);
    if (parsed.help) {
      io.stdout.write(HELP);
      return 0;
    }
    designer = await startDesigner({
      ...parsed,
      env: io.env,
      cwd: io.cwd,
      emulator: { onLog: (line) => void io.stderr.write(`${redact(line)}\n`) },
    });
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error));
    io.stderr.write(`lambda-stream designer: ${isTaskError(error) ? `${error.code}: ` : ''}${message}\n`);
    return 2;
  }
  io.stdout.write(
    `Designer: ${designer.url}\nTest requests go to ${designer.backend.description}.\nPress Ctrl-C to stop.\n`,
  );
  await new Promise<void>((done) => {
    if (stop.aborted) done();
    else stop.addEventListener('abort', () => done(), { once: true });
  });
  await designer.close();
  io.stdout.write('Designer stopped.\n');
  return 0;
}

/** `lambda-stream designer`: runs until SIGINT or SIGTERM. */
export const designerCommand: CliCommand = untilSignal(runDesigner);
