/**
 * `lambda-stream`: the command-line entry point. Dispatches to one module per subcommand.
 */
import type { CliCommand, CliIO } from './io.js';

const USAGE = `Usage: lambda-stream <command> [options]

Commands:
  run        make the definition's call and print its output (aggregated JSON or chunked NDJSON)
  test       run the configured call once and print a Test request report
  invoke     the AWS CLI's invoke command line, streamed: payload to OUTFILE, then its response document
  validate   check a task input against the definition
  emulate    run the local emulator endpoint
  workflow   run a workflow definition with the embedded runner
  worker     run a BullMQ worker that takes task inputs from a Redis queue
  start      the quick-start demo: emulator + sample workflow
  designer   a local web page: the form from the definition and a live Test request

run, test, validate and workflow take --manifest FILE (another task definition; default: the
package's manifest.json); the parameter flags of run and test come from that definition.
Run 'lambda-stream <command> --help' for a command's options.
`;

/** Subcommands; each module is loaded only when its command runs. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  run: async () => (await import('./run-command.js')).runCommand,
  test: async () => (await import('./test-command.js')).testCommand,
  invoke: async () => (await import('./invoke-command.js')).invokeCommand,
  validate: async () => (await import('./validate-command.js')).validateCommand,
  workflow: async () => (await import('./workflow-command.js')).workflowCommand,
  worker: async () => (await import('./worker-command.js')).workerCommand,
  emulate: async () => (await import('./emulate-command.js')).emulateCommand,
  start: async () => (await import('./start-command.js')).startCommand,
  designer: async () => (await import('./designer-command.js')).designerCommand,
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (name === '--version') {
    io.stdout.write('lambda-stream-task\n');
    return 0;
  }
  // Own keys only: `constructor` or `toString` must not reach the object prototype.
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    // Loaded only here: `--help` and the commands' own modules need no more of the package at start.
    const { escapeControls } = await import('../../index.js');
    io.stderr.write(`lambda-stream: unknown command '${escapeControls(name)}'\n\n${USAGE}`);
    return 2;
  }
  return (await load())(rest, io);
}
