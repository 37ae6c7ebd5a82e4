/**
 * `lambda-stream validate --input FILE`: check a task input against the definition without sending
 * anything. Prints every issue, one per line (or one JSON object with `--json`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { redact, type ValidationIssue, validateInput } from '../../index.js';
import { reportError } from './exit-status.js';
import { type CliCommand, type CliIO, EXIT } from './io.js';
import { loadDefinition } from './load-definition.js';
import { writeOut } from './write-out.js';

const HELP = `Usage: lambda-stream validate --input FILE [--manifest FILE] [--json]

Check a task input ({ path, headers, query, body, settings }, JSON) against the task definition.
Nothing is sent. Every problem is printed, one per line, naming the field and the rule.

  --input FILE      the task input as JSON ('-' reads standard input)
  --manifest FILE   another task definition (default: the package's manifest.json)
  --json            print { "valid": boolean, "issues": [{ location, path, keyword, message }] }

Exit status: 0 valid, 2 invalid (or unreadable) input, 3 broken definition.

Example:
  lambda-stream validate --input task.json
`;

async function readInput(file: string, io: CliIO): Promise<string> {
  if (file !== '-') return readFile(resolve(io.cwd, file), 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function printResult(
  io: CliIO,
  file: string,
  issues: readonly ValidationIssue[],
  json: boolean,
): Promise<void> {
  if (json) {
    await writeOut(io.stdout, `${JSON.stringify(redact({ valid: issues.length === 0, issues }))}\n`);
  } else if (issues.length === 0) {
    await writeOut(io.stdout, `${file}: valid\n`);
  } else {
    await writeOut(io.stdout, issues.map((issue) => `${redact(issue.message)}\n`).join(''));
  }
}

/** The `validate` subcommand. */
export const validateCommand: CliCommand = async (args: string[], io: CliIO): Promise<number> => {
  let values: { input?: string; manifest?: string; json?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        input: { type: 'string', short: 'i' },
        manifest: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error: unknown) {
    io.stderr.write(
      `lambda-stream validate: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`,
    );
    return EXIT.invalidInput;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const json = values.json === true;
  if (values.input === undefined) {
    io.stderr.write(`lambda-stream validate: --input FILE is required\n\n${HELP}`);
    return EXIT.invalidInput;
  }
  let input: unknown;
  try {
    input = JSON.parse(await readInput(values.input, io));
  } catch (error: unknown) {
    const why = error instanceof SyntaxError ? `it is not valid JSON (${error.message})` : String(error);
    const issue: ValidationIssue = {
      location: 'input',
      path: '',
      keyword: 'file',
      message: `cannot read the input ${values.input}: ${why}`,
    };
    await printResult(io, values.input, [issue], json);
    return EXIT.invalidInput;
  }
  try {
    const manifest = loadDefinition(values.manifest, io.cwd);
    const issues = validateInput(input, manifest);
    await printResult(io, values.input, issues, json);
    return issues.length === 0 ? EXIT.ok : EXIT.invalidInput;
  } catch (error: unknown) {
    // A broken definition is a packaging problem, not the input's: exit 3.
    return reportError(io, 'validate', error, json);
  }
};
