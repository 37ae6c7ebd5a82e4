/**
 * SigV4 (wire-format §1.3–1.4), written from the specification for the one shape of request this
 * task sends, instead of through `@smithy/signature-v4`: that library spent about 75 µs per call here
 * (a fresh HMAC of the secret for its cache key, promise hops, header cloning), most of a small
 * call's signing cost; this takes about a fifth of it. `test/signing/sign-request-equivalence.test.ts`
 * proves it signs exactly as the library does (thousands of generated requests), and the public
 * SigV4 suite runs through it (`test/executor/sigv4-adapter-vectors.test.ts`).
 */
import { createHash, createHmac } from 'node:crypto';
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

const ALGORITHM = 'AWS4-HMAC-SHA256';
const CONTENT_SHA256 = 'x-amz-content-sha256';
/** Headers the signer writes: any the caller set are replaced. */
const GENERATED = new Set(['authorization', 'x-amz-date', 'date']);
/** Headers never signed (as the AWS SDKs): proxies and clients may change them on the way. */
const UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

/** RFC 3986 encoding as SigV4 wants it: only `A–Z a–z 0–9 - _ . ~` stay as they are. */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical URI of a non-S3 service: empty and `.` segments dropped, `..` resolved, then the
 * (already encoded) path escaped again, slashes kept.
 */
function canonicalPath(path: string): string {
  let canonical = canonicalPaths.get(path);
  if (canonical === undefined) {
    canonical = computeCanonicalPath(path);
    // A host calls a handful of functions: a small map, emptied rather than grown without bound.
    if (canonicalPaths.size >= 256) canonicalPaths.clear();
    canonicalPaths.set(path, canonical);
  }
  return canonical;
}

const canonicalPaths = new Map<string, string>();

function computeCanonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`${lead}${segments.join('/')}${trail}`).replace(/%2F/g, '/');
}

/** Keys and values escaped, pairs in escaped-key order (code units: the escapes are ASCII). */
function canonicalQuery(query: Record<string, string>): string {
  const pairs: Array<[string, string]> = [];
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() === 'x-amz-signature') continue;
    const escaped = escapeUri(key);
    pairs.push([escaped, `${escaped}=${escapeUri(query[key]!)}`]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([, pair]) => pair).join('&');
}

/** The last second formatted (calls in the same second reuse it: formatting showed in profiles). */
let lastSecond = Number.NaN;
let lastDates = { long: '', short: '' };

/** `20261201T120000Z` and `20261201` of a date. */
function amzDates(date: Date): { long: string; short: string } {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    const long = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
    lastDates = { long, short: long.slice(0, 8) };
    lastSecond = second;
  }
  return lastDates;
}

const SPACES = /\s/;

/** Trimmed, inner whitespace runs as one space (most values have none: no replace then). */
function canonicalValue(value: string): string {
  const trimmed = value.trim();
  return SPACES.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** Derived signing keys, by secret and scope; bounded, the oldest dropped (a new one each day). */
const MAX_SIGNING_KEYS = 32;
const signingKeys = new Map<string, Buffer>();

/** The HMAC chain of the specification, derived once per secret, day, region and service. */
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const cacheKey = `${day}\n${region}\n${service}\n${secret}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * Sign a request with SigV4 and return its headers with `authorization`, `x-amz-date`,
 * `x-amz-content-sha256` and (for temporary credentials) `x-amz-security-token` added; the caller's
 * object is never changed. The body is hashed (it is bytes, never a stream). Every header but the
 * unsignable ones (`user-agent`, `connection`, `proxy-*`, …) is signed.
 * @example
 * const headers = await signRequest(request, { credentials, region: 'us-east-1', service: 'lambda', signingDate: new Date() })
 */
export async function signRequest(
  request: SignableRequest,
  options: SignOptions,
): Promise<Record<string, string>> {
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const dates = amzDates(options.signingDate);
  const headers: Record<string, string> = {};
  let payloadHash: string | undefined;
  for (const name of Object.keys(request.headers)) {
    const lower = name.toLowerCase();
    if (GENERATED.has(lower)) continue;
    headers[name] = request.headers[name]!;
    if (lower === CONTENT_SHA256) payloadHash = request.headers[name];
  }
  headers['x-amz-date'] = dates.long;
  if (sessionToken) headers['x-amz-security-token'] = sessionToken;
  if (payloadHash === undefined) {
    payloadHash = createHash('sha256').update(request.body).digest('hex');
    if (options.applyChecksum ?? true) headers[CONTENT_SHA256] = payloadHash;
  }
  const canonical: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNABLE.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) continue;
    canonical[lower] = canonicalValue(headers[name]!);
  }
  const signed = Object.keys(canonical).sort();
  let canonicalHeaders = '';
  for (const name of signed) canonicalHeaders += `${name}:${canonical[name]}\n`;
  const signedHeaders = signed.join(';');
  const canonicalRequest = `${request.method}\n${canonicalPath(request.pathname)}\n${canonicalQuery(request.query)}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const scope = `${dates.short}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${dates.long}\n${scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const key = signingKey(secretAccessKey, dates.short, options.region, options.service);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
