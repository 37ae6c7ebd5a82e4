/**
 * `lambda-stream invoke`: the AWS CLI's `invoke` command line, run through the definition's call and
 * streamed: the payload goes to the outfile as each chunk arrives, and the AWS CLI's response document
 * (`StatusCode`, `FunctionError`, `LogResult`, `ExecutedVersion`) is printed when the call ends, with
 * the AWS CLI v2 return codes. `run` stays the command for the NDJSON event stream.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CompleteEvent,
  chunkBytes,
  createExecutor,
  type ExecuteContext,
  isTaskError,
  redact,
  ServiceError,
  type StartEvent,
} from '../../index.js';
import { taskErrorFromEvent } from '../workflow/index.js';
import { type AwsCliArgs, splitAwsCliArgs, usageError } from './aws-cli-args.js';
import { awsCliPayload } from './aws-cli-payload.js';
import { AWS_CLI_EXIT, awsCliExitStatus, formatDocument, responseDocument } from './aws-cli-response.js';
import { cliContext } from './cli-context.js';
import { errorLine } from './exit-status.js';
import type { CliCommand, CliIO } from './io.js';
import { parseTaskArgs, type TaskArgs } from './task-args.js';
import { writeOut } from './write-out.js';

const HELP = `Usage: lambda-stream invoke [AWS CLI invoke options] OUTFILE

Takes the command line of the AWS CLI's invoke command and runs it streaming: the function's output
is written to OUTFILE ('-': standard output) as each chunk arrives, then the response document is
printed (StatusCode, FunctionError, LogResult in base64, ExecutedVersion).

  --function-name, --qualifier, --log-type, --invocation-type, --client-context, --tenant-id
                          as in the AWS CLI (the definition's parameters; --manifest FILE for another)
  --payload TEXT|file://PATH|fileb://PATH
                          base64 by default, as AWS CLI v2; --cli-binary-format raw-in-base64-out
                          sends the text as written; fileb:// sends the file's bytes
  --region, --profile, --endpoint-url
  --cli-read-timeout N, --cli-connect-timeout N   seconds (0: no limit)
  --output json|text, --debug (events and the request on standard error), --no-cli-pager
  --query and other options this command cannot honour are refused, naming the option.

Return codes (AWS CLI v2): 0 success, a function error included (it shows in FunctionError); 252 an
invalid command line; 253 configuration or credentials; 254 the service returned an error; 255
anything else; 130 interrupted (Ctrl-C).
`;

/** The longest time limit the settings take, for a 0 ("no limit") from the AWS CLI. */
const NO_LIMIT_MS = 3_600_000;

function timeouts(aws: AwsCliArgs): Record<string, number> {
  const ms = (s: number): number => (s === 0 ? NO_LIMIT_MS : Math.min(s * 1000, NO_LIMIT_MS));
  const out: Record<string, number> = {};
  if (aws.readTimeoutSeconds !== undefined) {
    out.firstByteMs = ms(aws.readTimeoutSeconds);
    out.idleMs = ms(aws.readTimeoutSeconds);
  }
  if (aws.connectTimeoutSeconds !== undefined) out.connectMs = ms(aws.connectTimeoutSeconds);
  return out;
}

/** The task input: the definition's flags, the payload bytes, chunked base64 output, the timeouts. */
async function taskInput(aws: AwsCliArgs, parsed: TaskArgs, cwd: string): Promise<Record<string, unknown>> {
  const { input, flags } = parsed;
  const plan = flags.manifest.plan;
  const body = flags.parameters.find((p) => p.body);
  const bytes = await awsCliPayload(aws.payload, aws.binaryFormat, cwd, plan.body.maxBytes);
  if (bytes !== undefined) {
    if (body === undefined) throw usageError('--payload', '--payload: this definition has no body');
    input[body.location] = { ...(input[body.location] as object | undefined), [body.name]: bytes };
  }
  const settings = (input.settings ?? {}) as Record<string, unknown>;
  const limits = timeouts(aws);
  input.settings = {
    ...settings,
    [plan.settingNames.outputMode]: 'chunked',
    outputEncoding: 'bytes',
    framing: 'chunk',
    ...(Object.keys(limits).length > 0
      ? { timeouts: { ...(settings.timeouts as object | undefined), ...limits } }
      : {}),
  };
  return input;
}

/** Where the payload goes: standard output for `-`, else the file (created when the answer starts). */
function openSink(outfile: string, io: CliIO): { stream: NodeJS.WritableStream; close: () => Promise<void> } {
  if (outfile === '-') return { stream: io.stdout, close: async () => undefined };
  const file = createWriteStream(resolve(io.cwd, outfile));
  return {
    stream: file,
    close: () =>
      new Promise((done, fail) => {
        file.once('error', fail);
        file.end(() => done());
      }),
  };
}

function report(io: CliIO, error: unknown, operation: string): number {
  const status = awsCliExitStatus(error);
  if (error instanceof ServiceError && error.awsErrorType !== undefined) {
    io.stderr.write(
      redact(
        `\nAn error occurred (${error.awsErrorType}) when calling the ${operation} operation: ${error.message}\n`,
      ),
    );
  } else io.stderr.write(`lambda-stream invoke: error: ${errorLine(error)}\n`);
  return status;
}

/** The call was interrupted: what has arrived stays in the outfile, no document, 130 as the AWS CLI. */
function interrupted(io: CliIO): number {
  io.stderr.write('\n');
  return AWS_CLI_EXIT.interrupted;
}

/** Ctrl-C aborts the call: the host's signal when it gives one, else SIGINT for the command's duration. */
function interruption(io: CliIO): { signal: AbortSignal; release: () => void } {
  if (io.signal !== undefined) return { signal: io.signal, release: () => undefined };
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Error('interrupted (SIGINT)'));
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', onSigint) };
}

export const invokeCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  let aws: AwsCliArgs;
  let parsed: TaskArgs;
  let input: Record<string, unknown>;
  try {
    aws = splitAwsCliArgs(args);
    if (aws.help) {
      io.stdout.write(HELP);
      return AWS_CLI_EXIT.ok;
    }
    if (aws.outfile === undefined)
      throw usageError('outfile', 'the following arguments are required: outfile');
    parsed = await parseTaskArgs(aws.taskArgs, io.cwd, {});
    input = await taskInput(aws, parsed, io.cwd);
  } catch (error) {
    return report(io, isTaskError(error) ? error : usageError('argv', String(error)), 'invoke');
  }
  const { flags } = parsed;
  const operation = flags.manifest.plan.operationName;
  const { signal, release } = interruption(io);
  const debug = (line: unknown): void => {
    if (aws.debug) io.stderr.write(`${JSON.stringify(redact(line))}\n`);
  };
  const context: ExecuteContext = {
    ...cliContext(io, flags, input),
    signal,
    observer: { onRequest: (r) => debug({ request: { method: r.method, url: r.url, attempt: r.attempt } }) },
  };
  let sink: ReturnType<typeof openSink> | undefined;
  let start: StartEvent | undefined;
  let complete: CompleteEvent | undefined;
  try {
    for await (const event of createExecutor({ manifest: flags.manifest }).invokeStream(input, context)) {
      if (event.type === 'chunk') {
        await writeOut(sink!.stream, chunkBytes(event));
        continue;
      }
      debug(event);
      if (event.type === 'start') {
        start = event;
        sink = openSink(aws.outfile!, io);
      } else if (event.type === 'complete') complete = event;
      else if (event.type === 'error') throw taskErrorFromEvent(event);
    }
    await sink?.close();
    sink = undefined;
    if (signal.aborted) return interrupted(io);
    await writeOut(io.stdout, formatDocument(responseDocument(start, complete), aws.output));
    return AWS_CLI_EXIT.ok;
  } catch (error) {
    await sink?.close().catch(() => undefined);
    return signal.aborted ? interrupted(io) : report(io, error, operation);
  } finally {
    release();
  }
};
