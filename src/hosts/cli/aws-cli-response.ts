/**
 * What the AWS CLI's `invoke` prints when the call ends, and the return codes of AWS CLI v2. The member
 * names of the document are the AWS CLI's (its output for the invoke command), not read from a
 * definition: this module is the one place that mimics that tool.
 */
import { type CompleteEvent, InputError, isTaskError, type StartEvent } from '../../index.js';

/** AWS CLI v2 return codes (its "return codes" topic). */
export const AWS_CLI_EXIT = {
  ok: 0,
  interrupted: 130,
  usage: 252,
  configuration: 253,
  service: 254,
  other: 255,
} as const;

/** The response document, in the AWS CLI's member order. */
export interface AwsCliResponseDocument {
  StatusCode: number;
  FunctionError?: string;
  LogResult?: string;
  ExecutedVersion?: string;
}

/**
 * The document for a call that ended with `complete` (or, for an empty answer, only `start`).
 * `LogResult` is base64 as the service sends it; the task hands it over decoded.
 * @example
 * responseDocument(start, complete) // { StatusCode: 200, ExecutedVersion: '$LATEST' }
 */
export function responseDocument(
  start: StartEvent | undefined,
  complete: CompleteEvent | undefined,
): AwsCliResponseDocument {
  const doc: AwsCliResponseDocument = { StatusCode: complete?.statusCode ?? start?.statusCode ?? 0 };
  if (complete?.functionError) doc.FunctionError = complete.functionError.errorCode;
  if (complete?.logResult !== undefined)
    doc.LogResult = Buffer.from(complete.logResult, 'utf8').toString('base64');
  const version = complete?.executedVersion ?? start?.executedVersion;
  if (version !== undefined) doc.ExecutedVersion = version;
  return doc;
}

/**
 * The document as `--output json` (four-space indent, as the AWS CLI) or `--output text` (the values
 * in the order of their sorted keys, tab-separated).
 * @example
 * formatDocument({ StatusCode: 200 }, 'text') // '200\n'
 */
export function formatDocument(doc: AwsCliResponseDocument, output: 'json' | 'text'): string {
  if (output === 'json') return `${JSON.stringify(doc, null, 4)}\n`;
  const entries = Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${entries.map(([, v]) => String(v)).join('\t')}\n`;
}

const CONFIGURATION_CODES = new Set(['MISSING_REGION', 'INVALID_ENDPOINT', 'CREDENTIALS_UNAVAILABLE']);

/**
 * The AWS CLI v2 return code for a failure: 252 for a command line (or input) it would refuse, 253 for
 * configuration and credentials, 254 when the service answered with an error, 130 when interrupted,
 * 255 for the rest (connection, timeouts, a broken stream).
 * @example
 * awsCliExitStatus(new InputError('MISSING_REGION', 'No AWS region')) // 253
 */
export function awsCliExitStatus(error: unknown): number {
  if (!isTaskError(error)) return AWS_CLI_EXIT.other;
  if (error.code === 'ABORTED') return AWS_CLI_EXIT.interrupted;
  if (CONFIGURATION_CODES.has(error.code)) return AWS_CLI_EXIT.configuration;
  if (error instanceof InputError) return AWS_CLI_EXIT.usage;
  if ('statusCode' in error && typeof error.statusCode === 'number') return AWS_CLI_EXIT.service;
  if (error.code === 'SERVICE_ERROR' || error.code === 'THROTTLED' || error.code === 'CLOCK_SKEW')
    return AWS_CLI_EXIT.service;
  return AWS_CLI_EXIT.other;
}
