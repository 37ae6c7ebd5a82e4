/**
 * `lambda-stream worker`: a BullMQ worker on a Redis queue whose jobs carry task inputs, until
 * SIGTERM or SIGINT; then it stops taking jobs, lets the calls in flight finish, and exits 0.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { InputError, redact } from '../../index.js';
import type { StartWorkerOptions, WorkerHandle } from '../bullmq/index.js';
import { cliContext } from './cli-context.js';
import { definitionFlags } from './definition-flags.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { loadDefinition } from './load-definition.js';

const HELP = `Usage: lambda-stream worker --redis URL --queue NAME [options]

Runs a BullMQ worker that takes task inputs from the queue NAME in Redis and runs them: the job's
result is the aggregated result (chunked mode: the completion summary), and each output event goes
to the job's Redis stream as it arrives (read it with createClient from lambda-stream-task/bullmq).
Start as many workers, on as many machines, as the load needs. SIGTERM drains: no new jobs, the
calls in flight finish, then the process exits.

Options:
  --redis URL              redis:// or rediss:// URL of the Redis that holds the queue
  --queue NAME             the queue's name
  --concurrency N          jobs run at once (default 1)
  --manifest FILE          the definition to run (default: the package's manifest.json)
  --lock-duration MS       BullMQ lock duration: a job whose worker stops renewing it for this long
                           is stalled and run again elsewhere (default 30000)
  --stalled-interval MS    how often the worker checks for stalled jobs (default 30000)
  -h, --help               this help

Credentials come from the worker's environment (AWS_ACCESS_KEY_ID…, AWS_PROFILE, the AWS chain),
never from the job.

Example:
  lambda-stream worker --redis redis://127.0.0.1:6379 --queue tasks --concurrency 8
`;

const OPTIONS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  manifest: { type: 'string' },
  'lock-duration': { type: 'string' },
  'stalled-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function optionError(flag: string, rule: string): InputError {
  const message = `${flag} ${rule}`;
  return new InputError('INVALID_INPUT', message, [
    { location: 'input', path: flag, keyword: 'option', message },
  ]);
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw optionError(flag, 'must be a positive integer');
  return n;
}

/** The worker's options from the command line and the environment. */
function workerOptions(args: string[], io: CliIO): StartWorkerOptions | 'help' {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw optionError('worker', (error as Error).message);
  }
  if (values.help === true) return 'help';
  if (values.redis === undefined) throw optionError('--redis', 'is required (a redis:// URL)');
  if (!/^rediss?:\/\/./.test(values.redis))
    throw optionError('--redis', 'must be a redis:// or rediss:// URL');
  if (values.queue === undefined) throw optionError('--queue', 'is required');
  const concurrency = positiveInteger('--concurrency', values.concurrency);
  const lockDuration = positiveInteger('--lock-duration', values['lock-duration']);
  const stalledInterval = positiveInteger('--stalled-interval', values['stalled-interval']);
  const manifest = loadDefinition(values.manifest, io.cwd);
  return {
    connection: values.redis,
    queue: values.queue,
    ...(concurrency === undefined ? {} : { concurrency }),
    manifest,
    context: cliContext(io, definitionFlags(manifest)),
    // Stored on each job it runs (job.processedBy), so an operator can tell which process had it.
    bullmq: {
      name: `${hostname()}:${process.pid}`,
      ...(lockDuration === undefined ? {} : { lockDuration }),
      ...(stalledInterval === undefined ? {} : { stalledInterval }),
    },
    onError: (error) => void io.stderr.write(`lambda-stream worker: ${redact(error.message)}\n`),
  };
}

/**
 * The command with its stop signal injectable (tests abort it; the CLI stops on SIGINT/SIGTERM).
 * @example
 * const stop = new AbortController();
 * const done = runWorker(['--redis', url, '--queue', 'tasks'], io, stop.signal);
 * stop.abort(); await done; // drained
 */
export async function runWorker(args: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  let handle: WorkerHandle;
  let options: StartWorkerOptions;
  try {
    const parsed = workerOptions(args, io);
    if (parsed === 'help') {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    options = parsed;
    // Loaded here, not with the CLI: bullmq and ioredis are optional peers, needed by this command only.
    const { startWorker } = await import('../bullmq/index.js');
    handle = await startWorker(options);
  } catch (error) {
    return reportError(io, 'worker', error, false);
  }
  let completed = 0;
  let failed = 0;
  handle.worker.on('completed', () => {
    completed += 1;
  });
  handle.worker.on('failed', () => {
    failed += 1;
  });
  io.stderr.write(
    `lambda-stream worker: ready on queue ${options.queue} (concurrency ${options.concurrency ?? 1}, pid ${process.pid})\n`,
  );
  await new Promise<void>((done) => {
    if (stop.aborted) done();
    else stop.addEventListener('abort', () => done(), { once: true });
  });
  io.stderr.write('lambda-stream worker: draining (no new jobs; waiting for the calls in flight)\n');
  await handle.close();
  io.stderr.write(`lambda-stream worker: stopped (${completed} completed, ${failed} failed)\n`);
  return EXIT.ok;
}

/** `lambda-stream worker`: runs until SIGINT or SIGTERM, then drains. */
export const workerCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runWorker(args, io, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
