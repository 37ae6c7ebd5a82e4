/**
 * Authentication, in the service's order: no `Authorization` header and an oversized declared
 * length are refused from the headers alone, before a byte of the body is buffered; then the body
 * is read (within the size limit) and the SigV4 signature checked over it.
 */
import type { IncomingMessage } from 'node:http';
import { verifySignature } from '../sigv4-verifier/verify-signature.js';
import type { BodyBudget } from './body-budget.js';
import { declaredTooLarge, MAX_REQUEST_BYTES, readRequestBody } from './read-request-body.js';
import { type Refusal, refuse } from './refusal.js';
import { headerString } from './request-headers.js';
import type { Operation } from './route-request.js';

/** An authenticated request. */
export interface Authenticated {
  body: Buffer;
  /** The region of the signature's credential scope. */
  region: string;
}

export interface AuthenticateOptions {
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** The emulator's clock for this request (a clock-skew fault shifts it). */
  now: Date;
  /** Named in the size refusal, as the service names the operation. */
  operation: Operation | undefined;
  rawUrl: string;
  budget: BodyBudget;
}

/**
 * Authenticate; `'aborted'` when the client went away while sending the body.
 * @example
 * const auth = await authenticateRequest(req, { lookupSecret, now: new Date(), operation: 'Invoke', rawUrl: req.url });
 */
export async function authenticateRequest(
  req: IncomingMessage,
  options: AuthenticateOptions,
): Promise<Authenticated | Refusal | 'aborted'> {
  if (headerString(req, 'authorization') === undefined) {
    return refuse(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const tooLarge = refuse(
    413,
    'RequestTooLargeException',
    `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the ${options.operation ?? 'InvokeWithResponseStream'} operation`,
  );
  if (declaredTooLarge(req, MAX_REQUEST_BYTES)) return tooLarge;
  const read = await readRequestBody(req, MAX_REQUEST_BYTES, options.budget);
  if (!read.ok && read.reason === 'busy') {
    return refuse(
      429,
      'TooManyRequestsException',
      'Rate Exceeded.',
      { Reason: 'ConcurrentInvocationLimitExceeded' },
      { 'Retry-After': '1' },
    );
  }
  if (!read.ok) return read.reason === 'too-large' ? tooLarge : 'aborted';

  const verdict = verifySignature(
    { method: req.method ?? 'GET', rawUrl: options.rawUrl, headers: req.headers, body: read.body },
    { lookupSecret: options.lookupSecret, now: options.now },
  );
  if (!verdict.ok) return refuse(verdict.status, verdict.errorType, verdict.message);
  return { body: read.body, region: verdict.region };
}
