/**
 * `lambda-stream workflow FILE.json`: run a workflow definition with the embedded runner.
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  assertJsonOutputEncoding,
  createExecutor,
  type ExecuteContext,
  type Executor,
  escapeControls,
  InputError,
} from '../../index.js';
import { runWorkflow } from '../workflow/index.js';
import { cliContext } from './cli-context.js';
import { type DefinitionFlags, definitionFlags } from './definition-flags.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { loadDefinition } from './load-definition.js';
import { readTextFile } from './read-text-file.js';
import { writeOut } from './write-out.js';

const HELP = `Usage: lambda-stream workflow FILE.json [--input JSON|file://PATH] [options]

Run a workflow definition: a startTask, tasks keyed by name ('lambda-stream' calls of this task or
'script' functions from ES modules next to the workflow file), each with inputParameters and nextTask
or end: true. \${$.workflow.input...} and \${$.tasks.NAME.output...} placeholders pass data along; a
script after a chunked step receives input.chunks while the call is still streaming.

Options:
  --input JSON|file://PATH   the workflow input ($.workflow.input), default {}
  --manifest FILE            the task definition every lambda-stream task runs (default: the package's)
  --region REGION            region for every lambda-stream task (else its settings, the environment)
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
    const text = fromFile ? await readTextFile('--input', value.slice('file://'.length), cwd) : value;
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = `--input must be JSON text or file://PATH holding JSON (${(error as Error).message})`;
    throw new InputError('INVALID_INPUT', message, [
      { location: 'input', path: 'input', keyword: 'json', message },
    ]);
  }
}

const HOST = 'lambda-stream workflow';

/** A definition's tasks as written (the runner checks their shape; this only looks for settings). */
function tasksOf(definition: unknown): Array<[string, { type?: unknown; inputParameters?: unknown }]> {
  const tasks = (definition as { tasks?: unknown } | null)?.tasks;
  if (tasks === null || typeof tasks !== 'object') return [];
  return Object.entries(tasks as Record<string, { type?: unknown; inputParameters?: unknown }>);
}

/**
 * The workflow's result is printed as JSON, so no call may ask for `bytes`: a task that says so is
 * refused before any task runs, and a placeholder that resolves to it before that call is made.
 */
function jsonOnly(definition: unknown, executor: Executor): Pick<Executor, 'execute'> {
  for (const [name, task] of tasksOf(definition)) {
    if (task?.type === 'lambda-stream')
      assertJsonOutputEncoding(task.inputParameters, `task '${name}' of ${HOST}`);
  }
  return {
    execute(input: unknown, context?: ExecuteContext) {
      assertJsonOutputEncoding(input, HOST);
      return executor.execute(input, context);
    },
  };
}

/**
 * The environment every task of the workflow sees: `--region`, `--endpoint-url` and `--profile` set
 * the first variable the definition reads for each (a task's own settings still win).
 */
function workflowEnv(
  base: Record<string, string | undefined>,
  flags: DefinitionFlags,
  values: { region?: string | undefined; 'endpoint-url'?: string | undefined; profile?: string | undefined },
): Record<string, string | undefined> {
  const env = { ...base };
  const given: Array<[string, string | undefined, string | undefined]> = [
    ['region', values.region, flags.env.region],
    ['endpoint-url', values['endpoint-url'], flags.env.endpoint],
    ['profile', values.profile, flags.env.profile],
  ];
  for (const [flag, value, name] of given) {
    if (value === undefined) continue;
    if (name === undefined) {
      const message = `--${flag}: the definition reads no environment variable for it; set it in each task's settings`;
      throw new InputError('INVALID_INPUT', message, [
        { location: 'input', path: flag, keyword: 'unsupported', message },
      ]);
    }
    env[name] = value;
  }
  return env;
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
            manifest: { type: 'string' },
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
      definition = JSON.parse(await readTextFile('workflow file', file, io.cwd));
    } catch (error) {
      const message = `${positionals[0]} cannot be read as JSON: ${(error as Error).message}`;
      throw new InputError('INVALID_INPUT', message, [
        { location: 'input', path: 'file', keyword: 'json', message },
      ]);
    }
    const input = await readWorkflowInput(values.input, io.cwd);
    const flags = definitionFlags(loadDefinition(values.manifest, io.cwd));
    const env = workflowEnv(io.env, flags, values);
    const result = await runWorkflow(definition, input, {
      baseDir: dirname(file),
      context: cliContext({ ...io, env }, flags),
      executor: jsonOnly(definition, createExecutor({ manifest: flags.manifest })),
      // What a script prints is its own output (often the function's, as it streams): shown
      // exactly but inert, never masked.
      print: (text) => void io.stdout.write(escapeControls(text, { keepNewlines: true })),
      ...(io.isTTY && !json
        ? {
            onEvent: (event) => {
              if (event.type === 'taskStarted')
                io.stderr.write(`▶ ${escapeControls(`${event.task} (${event.taskType})`)}\n`);
            },
          }
        : {}),
    });
    // The workflow's output is made of its tasks' outputs: printed exactly, never masked.
    await writeOut(io.stdout, `${JSON.stringify({ output: result.output, order: result.order })}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(io, 'workflow', error, json);
  }
};
