/**
 * SigV4 verification written from the specification (wire-format §1.3–1.4), as the service checks a
 * request: it shares no code with the signing library, so a bug in one is caught by the other.
 * Only `node:crypto` (HMAC-SHA256, SHA-256, constant-time comparison) is used.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A request as it arrived: the request-line target exactly as sent, headers, and the whole body. */
export interface RequestToVerify {
  method: string;
  /** Path and query exactly as on the request line (still percent-encoded), e.g. `req.url`. */
  rawUrl: string;
  /** Node's `IncomingHttpHeaders` or any record; names are matched case-insensitively; arrays join with `,`. */
  headers: Readonly<Record<string, string | readonly string[] | number | undefined>>;
  body: Uint8Array;
}

/** Options of {@link verifySignature}. */
export interface VerifyOptions {
  /** The secret access key of an access key id, or `undefined` for an unknown key. */
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** The verifier's clock. */
  now: Date;
  /** Largest allowed difference between the request date and `now`. Default 15 minutes, as the service. */
  maxSkewMs?: number;
  /** The signing name the credential scope must carry. Default `lambda`. */
  service?: string;
  /** When set, the credential scope's region must equal it; otherwise any region is accepted. */
  region?: string;
}

/** Why a request was refused: the status and error type the service would answer with. */
export type VerifyErrorType =
  | 'MissingAuthenticationTokenException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

/** The verdict. Failure messages never contain the expected signature or any secret. */
export type VerifyResult =
  | { ok: true; accessKeyId: string; region: string; service: string; signedHeaders: string[] }
  | { ok: false; status: 403; errorType: VerifyErrorType; message: string };

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** RFC 3986 encoding as SigV4 wants it: only `A–Z a–z 0–9 - _ . ~` stay as they are. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Percent-decodes once; a malformed escape is kept as written (the signer saw the same text). */
function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The canonical URI of a non-S3 service: normalise the raw path (drop empty and `.` segments, resolve
 * `..`), then escape the already-encoded path again, so `%3A` becomes `%253A`; slashes are kept.
 * @example
 * canonicalUri('/2021-11-15/functions/my-fn%3Aprod/response-streaming-invocations')
 * // '/2021-11-15/functions/my-fn%253Aprod/response-streaming-invocations'
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

/**
 * The canonical query: each key and value decoded once and re-encoded with {@link escapeUri}, pairs
 * sorted by encoded key then encoded value, `&`-joined; `X-Amz-Signature` left out.
 * @example
 * canonicalQuery('Qualifier=%24LATEST&b=2&a=1') // 'Qualifier=%24LATEST&a=1&b=2'
 */
export function canonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = escapeUri(decodeOnce(eq < 0 ? part : part.slice(0, eq)));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([key, escapeUri(decodeOnce(eq < 0 ? '' : part.slice(eq + 1)))]);
  }
  // Code-unit order, as the spec's byte order for these ASCII-only encoded strings.
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Looks a header up by lower-case name in a record whose keys may have any case. */
export function headerValue(headers: RequestToVerify['headers'], name: string): string | undefined {
  let found: string | readonly string[] | number | undefined = headers[name];
  if (found === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) {
        found = headers[key];
        break;
      }
    }
  }
  if (found === undefined) return undefined;
  if (typeof found === 'number') return String(found);
  if (typeof found === 'string') return found;
  return found.join(',');
}

/** Trim, and collapse inner whitespace runs to one space. */
function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/** What the canonical request is built from. */
export interface CanonicalRequestInput {
  method: string;
  rawUrl: string;
  headers: RequestToVerify['headers'];
  /** Lower-case header names in the order of the `SignedHeaders` list. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body, or the `x-amz-content-sha256` value. */
  payloadHash: string;
}

/**
 * The SigV4 canonical request: method, canonical URI, canonical query, canonical headers, signed
 * header list and payload hash, newline-separated.
 * @example
 * buildCanonicalRequest({ method: 'GET', rawUrl: '/', headers: { host: 'h', 'x-amz-date': '20150830T123600Z' },
 *   signedHeaders: ['host', 'x-amz-date'], payloadHash: sha256Hex(new Uint8Array()) })
 */
export function buildCanonicalRequest(input: CanonicalRequestInput): string {
  // An absolute-form target (`http://host/path`, as sent through a proxy) signs only its path and query.
  const target = input.rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i, '');
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const lines = input.signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(headerValue(input.headers, name) ?? '')}\n`,
  );
  return [
    input.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    lines.join(''),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** Lower-case hex SHA-256. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The SigV4 string to sign.
 * @example
 * buildStringToSign('20150830T123600Z', '20150830/us-east-1/lambda/aws4_request', canonicalRequest)
 */
export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** The hex signature of a string to sign with a secret and scope (HMAC chain of the specification). */
export function computeSignature(
  secretAccessKey: string,
  scope: { date: string; region: string; service: string },
  stringToSign: string,
): string {
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
 * @returns the parts, or a reason (no secrets in it) when the header is malformed
 */
export function parseAuthorization(value: string): ParsedAuthorization | { error: string } {
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    return { error: `Only ${ALGORITHM} Authorization headers are supported.` };
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) return { error: 'Authorization header requires Credential, SignedHeaders and Signature.' };
    const key = item.slice(0, eq);
    if (fields.has(key)) return { error: `Authorization header repeats ${key}.` };
    fields.set(key, item.slice(eq + 1));
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (
    credential === undefined ||
    signedHeaders === undefined ||
    signature === undefined ||
    fields.size !== 3
  ) {
    return { error: 'Authorization header requires Credential, SignedHeaders and Signature.' };
  }
  const scope = credential.split('/');
  if (scope.length !== 5 || scope.some((s) => s === '')) {
    return { error: 'Credential should be of the form AccessKeyId/Date/Region/Service/aws4_request.' };
  }
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  if (!/^[0-9]{8}$/.test(date)) return { error: 'Credential date must be YYYYMMDD.' };
  if (!/^[0-9a-f]{64}$/.test(signature)) return { error: 'Signature must be 64 lower-case hex digits.' };
  const names = signedHeaders.split(';');
  if (names.some((n) => n === '' || n !== n.toLowerCase())) {
    return { error: 'SignedHeaders must be a ;-separated list of lower-case header names.' };
  }
  return { accessKeyId, date, region, service, terminator, signedHeaders: names, signature };
}

/** `YYYYMMDDTHHMMSSZ` → Date, or undefined. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Date → `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function refuse(errorType: VerifyErrorType, message: string): VerifyResult {
  return { ok: false, status: 403, errorType, message };
}

/**
 * Verifies a SigV4-signed request the way the service does, from the specification.
 *
 * Refusals (all 403): no `Authorization` → `MissingAuthenticationTokenException`; an unknown access key
 * id → `UnrecognizedClientException`; a malformed header, wrong service or region, unsigned `host`,
 * a date outside `maxSkewMs` ("Signature expired: …"), a body that does not match a signed
 * `x-amz-content-sha256`, or a wrong signature → `InvalidSignatureException`.
 * @example
 * const verdict = verifySignature({ method: req.method, rawUrl: req.url, headers: req.headers, body },
 *   { lookupSecret: (id) => (id === 'test' ? 'test' : undefined), now: new Date() });
 * if (!verdict.ok) { res.writeHead(verdict.status, { 'x-amzn-ErrorType': verdict.errorType }); }
 */
export function verifySignature(request: RequestToVerify, options: VerifyOptions): VerifyResult {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const parsed = parseAuthorization(authorization);
  if ('error' in parsed) return refuse('InvalidSignatureException', parsed.error);

  const secret = options.lookupSecret(parsed.accessKeyId);
  if (secret === undefined) {
    return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const service = options.service ?? 'lambda';
  if (parsed.service !== service) {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${service}'.`,
    );
  }
  if (options.region !== undefined && parsed.region !== options.region) {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${parsed.region}'.`,
    );
  }
  if (parsed.terminator !== 'aws4_request') {
    return refuse(
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request'.",
    );
  }
  if (!parsed.signedHeaders.includes('host')) {
    return refuse('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const amzDateHeader = headerValue(request.headers, 'x-amz-date');
  const dateHeader = headerValue(request.headers, 'date');
  let requestDate: Date | undefined;
  if (amzDateHeader !== undefined) {
    requestDate = parseAmzDate(amzDateHeader.trim());
  } else if (dateHeader !== undefined) {
    const ms = Date.parse(dateHeader);
    requestDate = Number.isNaN(ms) ? undefined : new Date(ms);
  }
  if (requestDate === undefined) {
    return refuse(
      'InvalidSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedDateName = amzDateHeader !== undefined ? 'x-amz-date' : 'date';
  if (!parsed.signedHeaders.includes(signedDateName)) {
    return refuse(
      'InvalidSignatureException',
      `'${signedDateName}' must be a 'SignedHeader' in the AWS Authorization.`,
    );
  }
  const amzDate = formatAmzDate(requestDate);
  if (amzDate.slice(0, 8) !== parsed.date) {
    return refuse(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate.slice(0, 8)}'.`,
    );
  }
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const skewMinutes = Math.round(maxSkewMs / 60000);
  const now = options.now.getTime();
  if (requestDate.getTime() < now - maxSkewMs) {
    return refuse(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now - maxSkewMs))} (${formatAmzDate(options.now)} - ${skewMinutes} min.)`,
    );
  }
  if (requestDate.getTime() > now + maxSkewMs) {
    return refuse(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now + maxSkewMs))} (${formatAmzDate(options.now)} + ${skewMinutes} min.)`,
    );
  }

  const bodyHash = sha256Hex(request.body);
  const contentSha = headerValue(request.headers, 'x-amz-content-sha256')?.trim();
  let payloadHash = bodyHash;
  if (contentSha !== undefined) {
    // The header's value is what the signer hashed into the canonical request; when it claims a
    // digest, the body must match it, or a signed header would vouch for a swapped body.
    if (contentSha !== 'UNSIGNED-PAYLOAD' && contentSha.toLowerCase() !== bodyHash) {
      return refuse(
        'InvalidSignatureException',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    payloadHash = contentSha;
  }

  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    rawUrl: request.rawUrl,
    headers: request.headers,
    signedHeaders: parsed.signedHeaders,
    payloadHash,
  });
  for (const name of parsed.signedHeaders) {
    if (headerValue(request.headers, name) === undefined) {
      return refuse('InvalidSignatureException', `The signed header '${name}' is missing from the request.`);
    }
  }
  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const expected = computeSignature(
    secret,
    { date: parsed.date, region: parsed.region, service: parsed.service },
    buildStringToSign(amzDate, scope, canonicalRequest),
  );
  if (!timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(parsed.signature, 'latin1'))) {
    return refuse('InvalidSignatureException', SIGNATURE_MISMATCH);
  }
  return {
    ok: true,
    accessKeyId: parsed.accessKeyId,
    region: parsed.region,
    service: parsed.service,
    signedHeaders: parsed.signedHeaders,
  };
}

export { EMPTY_SHA256 };
