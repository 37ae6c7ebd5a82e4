/**
 * The SigV4 canonical request (wire-format §1.3), built from the request exactly as it arrived: the
 * raw path and query re-encoded as the specification says, the signed headers, the payload hash.
 */
import { createHash } from 'node:crypto';

/** Node's `IncomingHttpHeaders` or any record; names are matched case-insensitively; arrays join with `,`. */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | number | undefined>>;

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
export function headerValue(headers: HeaderRecord, name: string): string | undefined {
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
  headers: HeaderRecord;
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
