import { FunctionError, InputError, isTaskError, redact } from '../../index.js';
import { WorkflowError } from '../workflow/index.js';
import { type CliIO, EXIT } from './io.js';

/**
 * The exit status for an error: 1 function error, 2 invalid input (or workflow definition), 3 the rest.
 * @example
 * return exitStatusFor(error)
 */
export function exitStatusFor(error: unknown): number {
  if (error instanceof WorkflowError) {
    if (error.code === 'WORKFLOW_INVALID') return EXIT.invalidInput;
    return error.cause === undefined ? EXIT.failure : exitStatusFor(error.cause);
  }
  if (error instanceof FunctionError || (isTaskError(error) && error.code === 'FUNCTION_ERROR'))
    return EXIT.functionError;
  if (error instanceof InputError) return EXIT.invalidInput;
  return EXIT.failure;
}

/** One line describing an error (issues included), redacted. */
export function errorLine(error: unknown): string {
  if (!isTaskError(error)) return redact(error instanceof Error ? error.message : String(error));
  const issues = error instanceof InputError || error instanceof WorkflowError ? error.issues : [];
  const listed = issues.length > 1 ? `: ${issues.map((i) => i.message).join('; ')}` : '';
  let line = `${error.code}: ${error.message}${listed}`;
  if (
    error instanceof WorkflowError &&
    isTaskError(error.cause) &&
    !error.message.includes(error.cause.code)
  ) {
    line += ` (${error.cause.code}: ${error.cause.message})`;
  }
  return redact(line.replace(/\s*\n\s*/g, ' '));
}

/**
 * Report an error on standard error as one line (`--json`: one JSON object) and return its exit status.
 * @example
 * catch (error) { return reportError(io, 'run', error, json) }
 */
export function reportError(io: CliIO, command: string, error: unknown, json: boolean): number {
  const status = exitStatusFor(error);
  if (json) {
    const body = isTaskError(error)
      ? error.toJSON()
      : {
          name: 'Error',
          code: 'UNEXPECTED',
          message: error instanceof Error ? error.message : String(error),
        };
    io.stderr.write(`${JSON.stringify(redact({ error: body, exitStatus: status }))}\n`);
  } else {
    io.stderr.write(`lambda-stream ${command}: ${errorLine(error)}\n`);
  }
  return status;
}
