/**
 * `lambda-stream start` (`npm start`): the quick start. Starts the emulator on a free loopback port
 * with the sample functions, runs `examples/quickstart.workflow.json` against it with the documented
 * test credentials, prints a summary and stops. No AWS account, no network.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { packagePath } from '../../paths.js';
import { redact } from '../../redact.js';
import { runWorkflow } from '../workflow/run-workflow.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';

const HELP = `Usage: lambda-stream start [--prompt TEXT]

The quick start: starts the local emulator on a free loopback port, runs the sample workflow
(examples/quickstart.workflow.json: stream 'tokens' in chunked mode into a script that prints each
token as it arrives, then send the collected text to 'echo' in aggregated mode), prints a summary,
and exits. Uses the emulator's test credentials (test/test); needs no AWS account and no network.
`;

/** The emulator's documented test credentials; passed explicitly so ~/.aws and AWS_* never matter. */
const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export const startCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const at = args.indexOf('--prompt');
  const prompt = at >= 0 ? (args[at + 1] ?? '') : 'Stream a short sentence.';
  const file = packagePath('examples', 'quickstart.workflow.json');
  const emulator = await startEmulator({ credentials: [TEST_CREDENTIALS] });
  try {
    io.stdout.write(`Emulator listening on ${emulator.url} (sample functions, credentials test/test)\n`);
    const definition: unknown = JSON.parse(await readFile(file, 'utf8'));
    const started = performance.now();
    const result = await runWorkflow(
      definition,
      { prompt },
      {
        baseDir: dirname(file),
        // Only what the quick start needs: no profile, no ambient AWS_* variables.
        context: {
          credentials: TEST_CREDENTIALS,
          env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: emulator.url },
        },
        print: (text) => void io.stdout.write(text),
        onEvent: (event) => {
          if (event.type === 'taskStarted') io.stdout.write(`\n▶ ${event.task} (${event.taskType})\n`);
        },
      },
    );
    const ms = Math.round(performance.now() - started);
    const stream = result.tasks.StreamTokens?.output as { chunks?: number; bytes?: number } | undefined;
    const echo = result.tasks.Echo?.output as { payload?: unknown; statusCode?: number } | undefined;
    io.stdout.write(
      [
        '',
        'Summary',
        `  tasks:    ${result.order.join(' → ')} (${ms} ms)`,
        `  streamed: ${stream?.chunks ?? '?'} chunk(s), ${stream?.bytes ?? '?'} B from 'tokens', each printed as it arrived`,
        `  echo:     ${echo?.statusCode ?? '?'} ${JSON.stringify(redact(echo?.payload))}`,
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (error) {
    return reportError(io, 'start', error, false);
  } finally {
    await emulator.close();
  }
};
