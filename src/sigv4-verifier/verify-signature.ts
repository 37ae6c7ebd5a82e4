/**
 * SigV4 verification written from the specification (wire-format §1.3–1.4), as the service checks a
 * request: it shares no code with the signing library, so a bug in one is caught by the other.
 * Only `node:crypto` (HMAC-SHA256, SHA-256, constant-time comparison) is used.
 */
import { timingSafeEqual } from 'node:crypto';
import { buildCanonicalRequest, type HeaderRecord, headerValue, sha256Hex } from './canonical-request.js';
import { buildStringToSign, computeSignature } from './compute-signature.js';
import { formatAmzDate, parseAmzDate, parseAuthorization } from './parse-authorization.js';

/** A request as it arrived: the request-line target exactly as sent, headers, and the whole body. */
export interface RequestToVerify {
  method: string;
  /** Path and query exactly as on the request line (still percent-encoded), e.g. `req.url`. */
  rawUrl: string;
  /** Node's `IncomingHttpHeaders` or any record; names are matched case-insensitively; arrays join with `,`. */
  headers: HeaderRecord;
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

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

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

export type { CanonicalRequestInput, HeaderRecord } from './canonical-request.js';
export {
  buildCanonicalRequest,
  canonicalQuery,
  canonicalUri,
  escapeUri,
  headerValue,
  sha256Hex,
} from './canonical-request.js';
export { buildStringToSign, computeSignature } from './compute-signature.js';
export type { ParsedAuthorization } from './parse-authorization.js';
export { formatAmzDate, parseAuthorization } from './parse-authorization.js';
export { EMPTY_SHA256 };
