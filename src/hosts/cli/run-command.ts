/**
 * `lambda-stream run`: make the definition's call and print its output — one JSON object
 * (aggregated), one NDJSON line per output event as each chunk arrives (chunked), or the payload
 * bytes (`--raw`).
 */
import {
  assertJsonOutputEncoding,
  chunkBytes,
  createExecutor,
  type ExecuteContext,
  type Executor,
  FunctionError,
  type OutputEvent,
  redact,
} from '../../index.js';
import { taskErrorFromEvent } from '../workflow/index.js';
import { cliContext } from './cli-context.js';
import type { DefinitionFlags } from './definition-flags.js';
import { errorLine, reportError } from './exit-status.js';
import { exampleLine, taskOptionsHelp, usageLine } from './flags-help.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { Progress } from './progress.js';
import { parseTaskArgs, type TaskArgs } from './task-args.js';
import { writeOut } from './write-out.js';

function help(flags: DefinitionFlags): string {
  return `${usageLine('run', flags)}

Make the call of ${flags.title} and print its output:
  --output aggregated   one JSON object: the aggregated result
  --output chunked      one JSON output event per line (NDJSON), written as each chunk arrives
  --raw                 the payload bytes themselves, for pipes
--encoding takes utf8 or base64 (bytes is for library hosts: JSON cannot carry it).

${taskOptionsHelp(flags)}
Exit status: 0 success, 1 function error, 2 invalid input, 3 service, transport or stream failure.

Example:
${exampleLine('run', flags, '--output chunked --endpoint-url http://127.0.0.1:9000 --region us-east-1')}
`;
}

const RUN_OPTIONS = { raw: { type: 'boolean' } } as const;

export const runCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  const json = args.includes('--json');
  let parsed: TaskArgs;
  try {
    parsed = await parseTaskArgs(args, io.cwd, RUN_OPTIONS);
    // Only --raw writes bytes (it asks for them itself); every other output of run is JSON.
    if (parsed.values.raw !== true) assertJsonOutputEncoding(parsed.input, 'lambda-stream run');
  } catch (error) {
    return reportError(io, 'run', error, json);
  }
  const { input, values, flags } = parsed;
  if (values.help) {
    io.stdout.write(help(flags));
    return EXIT.ok;
  }
  const executor = createExecutor({ manifest: flags.manifest });
  const progress = io.isTTY && !json && values.raw !== true ? new Progress(io) : undefined;
  const context: ExecuteContext = {
    ...cliContext(io, flags, input),
    ...(progress ? { observer: progress.observer } : {}),
  };
  try {
    if (values.raw === true) return await runRaw(executor, rawInput(input), context, io);
    const output = await executor.execute(input, context);
    if (output.mode === 'chunked') return await printEvents(output.events, io, json, progress);
    progress?.finish();
    const result = output.result;
    // The result is the function's output: printed exactly, never masked (only what the task itself
    // writes, its errors and logs, is redacted).
    await writeOut(io.stdout, `${JSON.stringify(result)}\n`);
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

async function printEvents(
  events: AsyncIterable<OutputEvent>,
  io: CliIO,
  json: boolean,
  progress: Progress | undefined,
): Promise<number> {
  let status: number = EXIT.ok;
  for await (const event of events) {
    progress?.onEvent(event);
    if (progress && event.type !== 'chunk') progress.finish();
    // Chunks and the completion are output (exact); an error event is the task's own text.
    await writeOut(io.stdout, `${JSON.stringify(event.type === 'error' ? redact(event) : event)}\n`);
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

/** The input with chunks as bytes, one event per chunk read, so binary output survives exactly. */
function rawInput(input: Record<string, unknown>): Record<string, unknown> {
  const settings = typeof input.settings === 'object' && input.settings !== null ? input.settings : {};
  return { ...input, settings: { ...settings, outputEncoding: 'bytes', framing: 'chunk' } };
}

/** Payload bytes to stdout (the call is chunked whatever the input's output mode says). */
async function runRaw(
  executor: Executor,
  input: Record<string, unknown>,
  context: ExecuteContext,
  io: CliIO,
): Promise<number> {
  for await (const event of executor.invokeStream(input, context)) {
    if (event.type === 'chunk') await writeOut(io.stdout, chunkBytes(event));
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
