/**
 * `lambda-stream test`: the designer's Test request from the command line. On a terminal the report
 * is rendered as text with a timeline of chunk arrivals; with `--json` or in a pipe it is the report JSON.
 */
import {
  assertJsonOutputEncoding,
  escapeControls,
  renderReport,
  type TestReport,
  testRequest,
} from '../../index.js';
import { cliContext } from './cli-context.js';
import type { DefinitionFlags } from './definition-flags.js';
import { reportError } from './exit-status.js';
import { exampleLine, taskOptionsHelp, usageLine } from './flags-help.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { Progress } from './progress.js';
import { parseTaskArgs, type TaskArgs } from './task-args.js';
import { writeOut } from './write-out.js';

function help(flags: DefinitionFlags): string {
  return `${usageLine('test', flags)}

Run the call of ${flags.title} once and print a Test request report: validation issues (nothing
sent), or the request (secrets redacted, with an equivalent curl command), the response and each event
with its arrival time, the output preview, the log tail, and for a failure a hint on the fix. The call
is always made in chunked mode internally so every event can be timed; --output only shapes 'run'.

${taskOptionsHelp(flags)}
Output: text on a terminal; the report as JSON with --json or when standard error is not a terminal.
Exit status: 0 success or dry run, 1 function error, 2 invalid input, 3 service, transport or stream failure.

Example:
${exampleLine('test', flags, '--endpoint-url http://127.0.0.1:9000 --region us-east-1')}
`;
}

/** The exit status that matches a report's outcome. */
export function exitStatusForReport(report: TestReport): number {
  switch (report.outcome) {
    case 'success':
    case 'dry-run':
      return EXIT.ok;
    case 'function-error':
      return EXIT.functionError;
    case 'invalid-input':
      return EXIT.invalidInput;
    default:
      return EXIT.failure;
  }
}

export const testCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  const json = args.includes('--json');
  let parsed: TaskArgs;
  try {
    parsed = await parseTaskArgs(args, io.cwd, {});
    // The same input must run with `run`, whose output is JSON: refused here as there.
    assertJsonOutputEncoding(parsed.input, 'lambda-stream test');
  } catch (error) {
    return reportError(io, 'test', error, json);
  }
  const { input, values, flags } = parsed;
  if (values.help) {
    io.stdout.write(help(flags));
    return EXIT.ok;
  }
  const text = io.isTTY && !json;
  const progress = text ? new Progress(io) : undefined;
  const report = await testRequest(
    input,
    { ...cliContext(io, flags, input), ...(progress ? { observer: progress.observer } : {}) },
    { manifest: flags.manifest },
  );
  progress?.finish();
  await writeOut(io.stdout, text ? renderReport(report) : `${JSON.stringify(report, null, 2)}\n`);
  const status = exitStatusForReport(report);
  if (status !== EXIT.ok && !text) {
    io.stderr.write(
      json
        ? `${JSON.stringify({ error: { code: report.error?.code ?? 'INVALID_INPUT', message: report.summary }, exitStatus: status })}\n`
        : `lambda-stream test: ${escapeControls(report.summary)}\n`,
    );
  }
  return status;
};
