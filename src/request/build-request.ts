import type { CallPlan } from '../definition/call-plan.js';
import { buildQueryString } from './build-query-string.js';
import { expandPathTemplate } from './expand-path-template.js';
import { readPayload } from './read-payload.js';

/** The parts of a valid task input that go on the wire. */
export interface RequestInput {
  path?: object | undefined;
  query?: object | undefined;
  headers?: object | undefined;
  body?: object | undefined;
}

/** A plain HTTP request, ready to sign. */
export interface PlainRequest {
  method: string;
  /** Scheme, host and port only (`http://127.0.0.1:9000`). */
  origin: URL;
  /** The encoded path exactly as it goes on the wire (never normalised: `..` is a valid name). */
  pathname: string;
  /** Query parameters, not encoded (the signer and {@link requestTarget} encode them). */
  query: Record<string, string>;
  /** Header names as given (the signer lower-cases its canonical copy). Includes `host`. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * Build the HTTP request for a valid input from the definition: the path template filled with
 * RFC 3986-encoded labels, the query, the header parameters (with the default content type),
 * the body member as bytes (`file://` read now), and `host`.
 * @example
 * await buildRequest(loadManifest().plan, { path: { FunctionName: 'f' } }, new URL('http://127.0.0.1:9000'), process.cwd())
 */
export async function buildRequest(
  plan: CallPlan,
  input: RequestInput,
  endpoint: URL,
  cwd: string,
  payloadRoot?: string,
): Promise<PlainRequest> {
  const bodyDefinition = plan.body;
  const path = expandPathTemplate(plan.pathTemplate, (input.path ?? {}) as Record<string, unknown>);
  const base = endpoint.pathname.endsWith('/') ? endpoint.pathname.slice(0, -1) : endpoint.pathname;
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined && value !== null) query[key] = String(value);
  }
  const origin = new URL(endpoint.origin);
  const headers: Record<string, string> = { host: origin.host };
  const contentTypeHeader = bodyDefinition.contentTypeHeader.toLowerCase();
  let hasContentType = false;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined || value === null) continue;
    headers[name] = String(value);
    if (name.toLowerCase() === contentTypeHeader) hasContentType = true;
  }
  if (!hasContentType) headers[bodyDefinition.contentTypeHeader] = bodyDefinition.defaultContentType;
  const body = await readPayload(
    (input.body as Record<string, unknown> | undefined)?.[bodyDefinition.member],
    {
      field: `body.${bodyDefinition.member}`,
      cwd,
      payloadRoot,
      maxBytes: bodyDefinition.maxBytes,
      fileReferencePrefix: bodyDefinition.fileReferencePrefix,
    },
  );
  return { method: plan.method, origin, pathname: `${base}${path}`, query, headers, body };
}

/**
 * The request target (path and encoded query) as written on the request line.
 * @example
 * requestTarget(request) // '/2021-11-15/functions/f/response-streaming-invocations?Qualifier=%24LATEST'
 */
export function requestTarget(request: Pick<PlainRequest, 'pathname' | 'query'>): string {
  const query = buildQueryString(request.query);
  return query === '' ? request.pathname : `${request.pathname}?${query}`;
}
