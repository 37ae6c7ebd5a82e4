/**
 * `lambda-stream start` (`npm start`): the quick start. Starts the emulator on a free loopback port
 * with the sample functions, runs `examples/quickstart.workflow.json` against it with the documented
 * test credentials, prints a summary and stops. No AWS account, no network.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { loadManifest, packagePath, redact } from '../../index.js';
import { runWorkflow } from '../workflow/index.js';
import { definitionFlags } from './definition-flags.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { refuseManifest } from './load-definition.js';

const HELP = `Usage: lambda-stream start [--prompt TEXT]

The quick start: starts the local emulator on a free loopback port, runs the sample workflow
(examples/quickstart.workflow.json: stream 'tokens' in chunked mode into a script that prints each
token as it arrives, then send the collected text to 'echo' in aggregated mode), prints a summary,
and exits. Uses the emulator's test credentials (test/test); needs no AWS account and no network.

The sample workflow is written for the packaged definition, so --manifest is refused: to try another
definition, run 'lambda-stream emulate' and 'lambda-stream workflow FILE --manifest FILE --endpoint-url URL'.
`;

/** The emulator's documented test credentials; passed explicitly so ~/.aws and AWS_* never matter. */
const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The packaged definition's endpoint and region variables, pointing at the emulator. */
function emulatorEnv(url: string): Record<string, string> {
  const { env } = definitionFlags(loadManifest());
  return {
    ...(env.region === undefined ? {} : { [env.region]: 'us-east-1' }),
    ...(env.endpoint === undefined ? {} : { [env.endpoint]: url }),
  };
}

export const startCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args.some((a) => a === '--manifest' || a.startsWith('--manifest='))) {
    const why = 'its sample workflow is written for the packaged definition';
    const instead =
      "run 'lambda-stream emulate', then 'lambda-stream workflow FILE --manifest FILE --endpoint-url URL'";
    return reportError(io, 'start', refuseManifest('start', why, instead), false);
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
        context: { credentials: TEST_CREDENTIALS, env: emulatorEnv(emulator.url) },
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
