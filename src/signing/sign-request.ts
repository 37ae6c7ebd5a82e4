import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
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

/**
 * SHA-256 and HMAC-SHA-256 over node:crypto, in the shape the signer calls (`new sha256(secret?)`,
 * `update`, `digest`). The signer makes four of these per request; the generic hash class it is
 * usually given converts every input and builds a second hash object on `reset()`, which showed
 * as a tenth of a small call's CPU time.
 */
type Bytes = string | ArrayBuffer | ArrayBufferView;

function binary(data: Bytes): string | Uint8Array {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

class Sha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: Bytes) {
    this.hash = Sha256.create(secret);
  }

  private static create(secret: Bytes | undefined): Hash | Hmac {
    if (secret === undefined) return createHash('sha256');
    return createHmac('sha256', binary(secret));
  }

  update(data: Bytes): void {
    this.hash.update(binary(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = Sha256.create(this.secret);
  }
}

const CONTENT_SHA256 = 'x-amz-content-sha256';

/** Signers kept for reuse; the oldest goes when a new identity comes past this many. */
const MAX_SIGNERS = 16;
const signers = new Map<string, SignatureV4>();

/**
 * One signer per credentials, region, service and checksum choice, reused across calls: the signer
 * caches its derived signing key (four HMACs, per day), which a signer made per call never reuses.
 * The map is bounded, so rotating credentials cannot grow it. Its keys hold the credentials as the
 * signer itself does, in this process's memory only.
 */
function signerFor(
  credentials: AwsCredentials,
  region: string,
  service: string,
  applyChecksum: boolean,
): SignatureV4 {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const key = JSON.stringify([
    accessKeyId,
    secretAccessKey,
    sessionToken ?? '',
    region,
    service,
    applyChecksum,
  ]);
  let signer = signers.get(key);
  if (signer === undefined) {
    signer = new SignatureV4({
      credentials: sessionToken
        ? { accessKeyId, secretAccessKey, sessionToken }
        : { accessKeyId, secretAccessKey },
      region,
      service,
      sha256: Sha256,
      applyChecksum,
    });
    if (signers.size >= MAX_SIGNERS) signers.delete(signers.keys().next().value!);
  } else signers.delete(key);
  // (Re)inserted last: the map's order is least recently used first.
  signers.set(key, signer);
  return signer;
}

function hasHeader(headers: Record<string, string>, lowerName: string): boolean {
  for (const name in headers) if (name.toLowerCase() === lowerName) return true;
  return false;
}

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
  const applyChecksum = options.applyChecksum ?? true;
  const signer = signerFor(options.credentials, options.region, options.service, applyChecksum);
  // The signer copies the request (headers included) before adding its own headers, so the
  // caller's object is never changed. The payload hash is sent as `x-amz-content-sha256` (the JS SDK
  // sends it too, wire-format §1.4); computed here in one step, the signer takes the header's value
  // as the payload hash instead of hashing the body again.
  const headers =
    applyChecksum && !hasHeader(request.headers, CONTENT_SHA256)
      ? { ...request.headers, [CONTENT_SHA256]: createHash('sha256').update(request.body).digest('hex') }
      : request.headers;
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.protocol,
      hostname: request.hostname,
      ...(request.port === undefined ? {} : { port: request.port }),
      path: request.pathname,
      query: request.query,
      headers,
      body: request.body,
    },
    { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}
