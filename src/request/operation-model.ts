import type { EndpointRules } from './resolve-endpoint.js';

/** How the service classes an error for retries. */
export type RetryClass = 'throttling' | 'transient';

/**
 * Everything the executor needs to know about the operation, taken from the manifest.
 * Nothing about Lambda is written in the executor itself: it reads it from here.
 */
export interface OperationModel {
  /** The operation's name, for messages. */
  name: string;
  method: string;
  /** e.g. `/2021-11-15/functions/{FunctionName}/response-streaming-invocations`. */
  pathTemplate: string;
  /** The input member that is the whole body (e.g. `Payload`), if any. */
  bodyMember: string | undefined;
  /** Content-Type sent when the input names none. */
  defaultContentType: string;
  /** The largest request body the service accepts. */
  maxRequestBytes: number;
  signingName: string;
  /** Suffix of `AWS_ENDPOINT_URL_<ID>` (the service id upper-cased, spaces as `_`). */
  envServiceId: string;
  endpoint: EndpointRules;
  /** Modeled errors: name → retry class (absent: not retried). */
  errorRetryClasses: Readonly<Record<string, RetryClass | undefined>>;
  /** Response headers the executor reports. */
  responseHeaders: { executedVersion: string | undefined; requestId: readonly string[] };
  /** Content type that marks a payload starting with an HTTP-integration prelude. */
  httpIntegrationContentType: string | undefined;
}
