/**
 * `lambda-stream workflow FILE.json`: run a workflow definition with the embedded runner.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../errors.js';
import { redact } from '../../redact.js';
import { runWorkflow } from '../workflow/run-workflow.js';
import { cliContext } from './cli-context.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { writeOut } from './write-out.js';

const HELP = `Usage: lambda-stream workflow FILE.json [--input JSON|file://PATH] [options]

Run a workflow definition: a startTask, tasks keyed by name ('lambda-stream' calls of this task or
'script' functions from ES modules next to the workflow file), each with inputParameters and nextTask
or end: true. \${$.workflow.input...} and \${$.tasks.NAME.output...} placeholders pass data along; a
script after a chunked step receives input.chunks while the call is still streaming.

Options:
  --input JSON|file://PATH   the workflow input ($.workflow.input), default {}
  --region REGION            region for every lambda-stream task (else AWS_REGION, the profile)
  --endpoint-url URL         endpoint for every lambda-stream task (e.g. the emulator)
  --profile NAME             shared config/credentials profile
  --json                     errors as JSON
  -h, --help                 this help

Scripts print to standard output; the workflow's result ({ output, order }) is the last line.
Exit status: 0 success, 1 function error, 2 invalid input or definition, 3 a failed call.
`;

/** Read `--input`: JSON text, or file://PATH holding JSON. */
async function readWorkflowInput(value: string | undefined, cwd: string): Promise<unknown> {
  if (value === undefined) return {};
  const fromFile = value.startsWith('file://');
  try {
    const text = fromFile ? await readFile(resolve(cwd, value.slice('file://'.length)), 'utf8') : value;
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = `--input must be JSON text or file://PATH holding JSON (${(error as Error).message})`;
    throw new InputError('INVALID_INPUT', message, [
      { location: 'input', path: 'input', keyword: 'json', message },
    ]);
  }
}

export const workflowCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  const json = args.includes('--json');
  try {
    const { values, positionals } = (() => {
      try {
        return parseArgs({
          args,
          allowPositionals: true,
          options: {
            input: { type: 'string' },
            region: { type: 'string' },
            'endpoint-url': { type: 'string' },
            profile: { type: 'string' },
            json: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
          },
        });
      } catch (error) {
        const message = (error as Error).message;
        throw new InputError('INVALID_INPUT', message, [
          { location: 'input', path: 'argv', keyword: 'argv', message },
        ]);
      }
    })();
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (positionals.length !== 1) {
      const message = 'expects exactly one workflow file (FILE.json)';
      throw new InputError('INVALID_INPUT', message, [
        { location: 'input', path: 'argv', keyword: 'required', message },
      ]);
    }
    const file = resolve(io.cwd, positionals[0]!);
    let definition: unknown;
    try {
      definition = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      const message = `${positionals[0]} cannot be read as JSON: ${(error as Error).message}`;
      throw new InputError('INVALID_INPUT', message, [
        { location: 'input', path: 'file', keyword: 'json', message },
      ]);
    }
    const input = await readWorkflowInput(values.input, io.cwd);
    const env: Record<string, string | undefined> = { ...io.env };
    if (values.region !== undefined) env.AWS_REGION = values.region;
    if (values['endpoint-url'] !== undefined) env.AWS_ENDPOINT_URL_LAMBDA = values['endpoint-url'];
    if (values.profile !== undefined) env.AWS_PROFILE = values.profile;
    const context = { ...cliContext({ ...io, env }), env };
    const result = await runWorkflow(definition, input, {
      baseDir: dirname(file),
      context,
      print: (text) => void io.stdout.write(redact(text)),
      ...(io.isTTY && !json
        ? {
            onEvent: (event) => {
              if (event.type === 'taskStarted') io.stderr.write(`▶ ${event.task} (${event.taskType})\n`);
            },
          }
        : {}),
    });
    await writeOut(io.stdout, `${JSON.stringify(redact({ output: result.output, order: result.order }))}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(io, 'workflow', error, json);
  }
};
