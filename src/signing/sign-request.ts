import { createRequire } from 'node:module';
import type { AwsCredentials } from './credentials.js';

/** What SigV4 signs: the wire request's parts (path already encoded once). */
export interface SignableRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number | undefined;
  pathname: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface SignOptions {
  credentials: AwsCredentials;
  region: string;
  service: string;
  signingDate: Date;
  /** Send and sign `x-amz-content-sha256` (the JS SDK does; default true). */
  applyChecksum?: boolean;
}

// Both packages ship CommonJS. `require` loads them straight through the CommonJS loader; an ES
// `import` would first have Node scan each file for its export names, which costs several
// milliseconds of every cold start.
const requireCjs = createRequire(import.meta.url);
const { Hash } = requireCjs('@smithy/hash-node') as typeof import('@smithy/hash-node');
const { SignatureV4 } = requireCjs('@smithy/signature-v4') as typeof import('@smithy/signature-v4');

const sha256 = Hash.bind(null, 'sha256');

/**
 * Sign a request with SigV4 and return its headers with `authorization`, `x-amz-date`,
 * `x-amz-content-sha256` and (for temporary credentials) `x-amz-security-token` added.
 * The body is hashed (it is bytes, never a stream). This is the only file that knows the
 * signing library.
 * @example
 * const headers = await signRequest(request, { credentials, region: 'us-east-1', service: 'lambda', signingDate: new Date() })
 */
export async function signRequest(
  request: SignableRequest,
  options: SignOptions,
): Promise<Record<string, string>> {
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const signer = new SignatureV4({
    credentials: sessionToken
      ? { accessKeyId, secretAccessKey, sessionToken }
      : { accessKeyId, secretAccessKey },
    region: options.region,
    service: options.service,
    sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.protocol,
      hostname: request.hostname,
      ...(request.port === undefined ? {} : { port: request.port }),
      path: request.pathname,
      query: request.query,
      headers: { ...request.headers },
      body: request.body,
    },
    { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}
