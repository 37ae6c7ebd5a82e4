/**
 * What Lambda reports when the runtime process ends during an invocation: a crash (the error the
 * runtime posted before exiting with 129 or 128), an exit of the function's own (`process.exit`),
 * or the sandbox's memory limit (`signal: killed`), with the platform's log lines for each.
 */
import type { DescribedError } from './format-error.js';
import type { InvocationOutcome } from './invocation-outcome.js';

/** The outcome, log lines and REPORT status of an instance that ended mid-invocation. */
export interface ExitReport {
  outcome: InvocationOutcome;
  lines: string[];
  reportStatus: string;
}

/**
 * Describe the end of an instance.
 * @example
 * exitReport(requestId, 129, false, { errorType: 'Error', errorMessage: 'boom', trace: [] })
 */
export function exitReport(
  requestId: string,
  code: number,
  outOfMemory: boolean,
  crash: DescribedError | undefined,
): ExitReport {
  if (outOfMemory) {
    const message = `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`;
    return {
      outcome: { kind: 'error', errorType: 'Runtime.OutOfMemory', errorMessage: message },
      lines: [message, 'Runtime.OutOfMemory'],
      reportStatus: 'Status: error\tError Type: Runtime.OutOfMemory',
    };
  }
  const message = `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`;
  const outcome: InvocationOutcome = crash
    ? { kind: 'error', ...crash }
    : { kind: 'error', errorType: 'Runtime.ExitError', errorMessage: message };
  return {
    outcome,
    lines: [message, 'Runtime.ExitError'],
    reportStatus: 'Status: error\tError Type: Runtime.ExitError',
  };
}
