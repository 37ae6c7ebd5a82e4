/**
 * `lambda-stream run`: invoke a function and print its output — one JSON object (aggregated), one
 * NDJSON line per output event as each chunk arrives (chunked), or the payload bytes (`--raw`).
 */
import { FunctionError } from '../../errors.js';
import type { ExecuteContext } from '../../index.js';
import { invoke, invokeStream } from '../../index.js';
import { redact } from '../../redact.js';
import { taskErrorFromEvent } from '../workflow/task-error-from-event.js';
import { cliContext } from './cli-context.js';
import { errorLine, reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { Progress } from './progress.js';
import { parseTaskArgs, TASK_OPTIONS_HELP } from './task-args.js';
import { writeOut } from './write-out.js';

const HELP = `Usage: lambda-stream run --function-name NAME [options]

Invoke a function with InvokeWithResponseStream and print its output:
  --output aggregated   one JSON object: the aggregated result (default)
  --output chunked      one JSON output event per line (NDJSON), written as each chunk arrives
  --raw                 the payload bytes themselves, for pipes

${TASK_OPTIONS_HELP}

Exit status: 0 success, 1 function error, 2 invalid input, 3 service, transport or stream failure.

Example:
  lambda-stream run --function-name tokens --payload '{"text":"hello streaming world"}' \\
    --output chunked --endpoint-url http://127.0.0.1:9000 --region us-east-1
`;

const RUN_OPTIONS = { raw: { type: 'boolean' } } as const;

export const runCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  const json = args.includes('--json');
  let parsed: Awaited<ReturnType<typeof parseTaskArgs<typeof RUN_OPTIONS>>>;
  try {
    parsed = await parseTaskArgs(args, io.cwd, RUN_OPTIONS);
  } catch (error) {
    return reportError(io, 'run', error, json);
  }
  const { input, values } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const progress = io.isTTY && !json && values.raw !== true ? new Progress(io) : undefined;
  const settings = (input.settings ?? {}) as Record<string, unknown>;
  const context: ExecuteContext = {
    ...cliContext(io, { profile: settings.profile as string | undefined }),
    ...(progress ? { observer: progress.observer } : {}),
  };
  try {
    if (values.raw === true) return await runRaw(input, context, io);
    if (settings.outputMode === 'chunked') return await runChunked(input, context, io, json, progress);
    const result = await invoke(input as never, context);
    progress?.finish();
    await writeOut(io.stdout, `${JSON.stringify(redact(result))}\n`);
    if (result.functionError) {
      const { errorCode, errorDetails } = result.functionError;
      return reportError(io, 'run', new FunctionError(errorCode, errorDetails, undefined), json);
    }
    return EXIT.ok;
  } catch (error) {
    progress?.finish();
    return reportError(io, 'run', error, json);
  }
};

async function runChunked(
  input: Record<string, unknown>,
  context: ExecuteContext,
  io: CliIO,
  json: boolean,
  progress: Progress | undefined,
): Promise<number> {
  let status: number = EXIT.ok;
  for await (const event of invokeStream(input as never, context)) {
    if (progress && event.type !== 'chunk') progress.finish();
    await writeOut(io.stdout, `${JSON.stringify(redact(event))}\n`);
    if (event.type === 'complete' && event.functionError) {
      const { errorCode, errorDetails } = event.functionError;
      status = reportError(io, 'run', new FunctionError(errorCode, errorDetails, event.logResult), json);
    } else if (event.type === 'error') {
      status = reportError(io, 'run', taskErrorFromEvent(event), json);
    }
  }
  progress?.finish();
  return status;
}

/** Payload bytes to stdout; the events are read as base64 so binary output survives exactly. */
async function runRaw(input: Record<string, unknown>, context: ExecuteContext, io: CliIO): Promise<number> {
  const settings = { ...((input.settings ?? {}) as Record<string, unknown>) };
  const rawInput = {
    ...input,
    settings: { ...settings, outputMode: 'chunked', outputEncoding: 'base64', framing: 'chunk' },
  };
  for await (const event of invokeStream(rawInput as never, context)) {
    if (event.type === 'chunk') await writeOut(io.stdout, Buffer.from(event.data, 'base64'));
    else if (event.type === 'complete' && event.functionError) {
      const { errorCode, errorDetails } = event.functionError;
      io.stderr.write(
        `lambda-stream run: ${errorLine(new FunctionError(errorCode, errorDetails, undefined))}\n`,
      );
      return EXIT.functionError;
    } else if (event.type === 'error') {
      io.stderr.write(`lambda-stream run: ${errorLine(taskErrorFromEvent(event))}\n`);
      return EXIT.failure;
    }
  }
  return EXIT.ok;
}
