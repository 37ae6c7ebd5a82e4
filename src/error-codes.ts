/**
 * The one table of error codes: for each stable `code`, the class that carries it, whether it is
 * retryable when the thrower does not decide otherwise, who must act, and what it means.
 * `TaskErrorCode` is derived from it and `docs/errors.md` is generated from it
 * (`npm run typegen`; `npm run typegen:check` fails when the page is stale), so the type, the
 * errors' defaults and the page cannot drift apart. This file imports nothing: the generator reads it as is.
 *
 * New codes may be added; existing ones never change meaning.
 */

/** Who must act on a failure. A small fixed vocabulary, so hosts can route errors on it. */
export const ERROR_ACTORS = {
  caller: 'Whoever built the task input or settings: fix the fields named, or change a limit.',
  operator:
    'Whoever runs the deployment: credentials, permissions, network, disk, clock, quotas, the function configuration.',
  service: 'The service (or a proxy in between) sent something wrong; report it if it persists.',
  'function author': 'The function ran and failed: fix its code or the payload it was given.',
  'definition author':
    'The task definition (manifest, schemas) is broken: a packaging bug, not an input error.',
  retry: 'Transient: the same call may succeed later (the task retries it itself until the response begins).',
  cause: 'A wrapper: the `cause` it carries (a TaskError for task steps) says who must act.',
} as const;

export type ErrorActor = keyof typeof ERROR_ACTORS;

/** The class of the family that carries a code (`WorkflowError` lives with the workflow runner). */
export type ErrorClassName =
  | 'InputError'
  | 'DefinitionError'
  | 'ServiceError'
  | 'TransportError'
  | 'StreamError'
  | 'FunctionError'
  | 'OutputError'
  | 'WorkflowError';

/** One row of the table. */
export interface ErrorCodeInfo {
  readonly errorClass: ErrorClassName;
  /** `retryable` when the thrower does not set it (some throwers decide per case; `meaning` says when). */
  readonly retryable: boolean;
  readonly actor: ErrorActor;
  /** One line, for `docs/errors.md`. */
  readonly meaning: string;
}

/**
 * Every code the task reports, in the order of the pipeline.
 * @example
 * ERROR_CODES.THROTTLED.retryable // true
 */
export const ERROR_CODES = {
  // input and configuration: nothing was sent
  INVALID_INPUT: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning: 'The task input breaks a rule of the definition; `issues` names each field and rule.',
  },
  COMPUTED_HEADER: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning: 'The input sets a header the signer computes itself (every issue is of that kind).',
  },
  PAYLOAD_TOO_LARGE: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning: "The request body is over the operation's size limit once serialised.",
  },
  PAYLOAD_FILE: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning: 'A `file://` payload does not exist or cannot be read.',
  },
  MISSING_REGION: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning: 'No region in the settings, the environment or the profile.',
  },
  INVALID_ENDPOINT: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning:
      'The endpoint override is not a usable http(s) URL or is combined with FIPS or dual-stack, or the region is not a host-name label.',
  },
  CREDENTIALS_UNAVAILABLE: {
    errorClass: 'InputError',
    retryable: false,
    actor: 'caller',
    meaning:
      'No credentials from the settings or the provider chain (environment, profile, SSO, container, instance).',
  },
  // the definition
  DEFINITION_INVALID: {
    errorClass: 'DefinitionError',
    retryable: false,
    actor: 'definition author',
    meaning: 'The task definition or one of its schemas is invalid; `issues` names each field.',
  },
  // the service answered with an error status before streaming
  SERVICE_ERROR: {
    errorClass: 'ServiceError',
    retryable: false,
    actor: 'operator',
    meaning:
      'The service answered with an HTTP error (`statusCode`, `awsErrorType`); retryable for 5xx and transient errors.',
  },
  THROTTLED: {
    errorClass: 'ServiceError',
    retryable: true,
    actor: 'retry',
    meaning:
      'HTTP 429 or a throttling error: too many calls, or concurrency exhausted; `Retry-After` is honoured.',
  },
  CLOCK_SKEW: {
    errorClass: 'ServiceError',
    retryable: false,
    actor: 'operator',
    meaning:
      "The request time is too far from the service's clock (the task re-signs once with the service's time).",
  },
  // transport
  CONNECTION_FAILED: {
    errorClass: 'TransportError',
    retryable: true,
    actor: 'retry',
    meaning:
      'The connection could not be made or broke before the response; not retryable for TLS/certificate errors or a request that cannot be written.',
  },
  CONNECT_TIMEOUT: {
    errorClass: 'TransportError',
    retryable: true,
    actor: 'retry',
    meaning: 'No connection within `timeouts.connectMs`.',
  },
  FIRST_BYTE_TIMEOUT: {
    errorClass: 'TransportError',
    retryable: false,
    actor: 'caller',
    meaning: 'No response headers within `timeouts.firstByteMs` of sending the request.',
  },
  IDLE_TIMEOUT: {
    errorClass: 'TransportError',
    retryable: false,
    actor: 'caller',
    meaning: 'No data for `timeouts.idleMs` while reading the response.',
  },
  TOTAL_TIMEOUT: {
    errorClass: 'TransportError',
    retryable: false,
    actor: 'caller',
    meaning: 'The whole call, retries included, took longer than `timeouts.totalMs`.',
  },
  ABORTED: {
    errorClass: 'TransportError',
    retryable: false,
    actor: 'caller',
    meaning: 'The host cancelled the call (its `AbortSignal`).',
  },
  // the event stream
  STREAM_CHECKSUM: {
    errorClass: 'StreamError',
    retryable: true,
    actor: 'retry',
    meaning: 'An event-stream prelude or message checksum does not match: the bytes were corrupted.',
  },
  STREAM_TRUNCATED: {
    errorClass: 'StreamError',
    retryable: true,
    actor: 'retry',
    meaning: 'The response ended inside an event-stream message.',
  },
  STREAM_MALFORMED: {
    errorClass: 'StreamError',
    retryable: false,
    actor: 'service',
    meaning: 'The response breaks the event-stream protocol or the HTTP-integration prelude.',
  },
  STREAM_INCOMPLETE: {
    errorClass: 'StreamError',
    retryable: true,
    actor: 'retry',
    meaning: 'The event stream ended without its completion event: the response may be cut short.',
  },
  STREAM_EXCEPTION: {
    errorClass: 'StreamError',
    retryable: false,
    actor: 'service',
    meaning: 'The service sent an exception or error message inside the stream.',
  },
  STREAM_INTERRUPTED: {
    errorClass: 'StreamError',
    retryable: false,
    actor: 'caller',
    meaning:
      'The stream broke off after chunks were delivered (`chunksDelivered`): not retried; the host decides whether to run it again.',
  },
  // the function
  FUNCTION_ERROR: {
    errorClass: 'FunctionError',
    retryable: false,
    actor: 'function author',
    meaning:
      'The function ran and reported an error (`errorCode`, `errorDetails`, the log tail when asked for).',
  },
  // the output stage
  OUTPUT_TOO_LARGE: {
    errorClass: 'OutputError',
    retryable: false,
    actor: 'caller',
    meaning: 'The output is over `limits.maxAggregatedBytes` (or a line over `limits.maxLineBytes`).',
  },
  SPILL_FAILED: {
    errorClass: 'OutputError',
    retryable: false,
    actor: 'operator',
    meaning: 'The payload could not be written to, or closed in, `spillDirectory`.',
  },
  // the embedded workflow runner
  WORKFLOW_INVALID: {
    errorClass: 'WorkflowError',
    retryable: false,
    actor: 'caller',
    meaning:
      'The workflow definition is invalid: a step, its module, a placeholder or how steps read each other.',
  },
  WORKFLOW_STEP_FAILED: {
    errorClass: 'WorkflowError',
    retryable: false,
    actor: 'cause',
    meaning: 'A workflow step failed; `task` names it and `cause` is its own error.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Stable codes. New codes may be added; existing ones never change meaning. */
export type TaskErrorCode = keyof typeof ERROR_CODES;
