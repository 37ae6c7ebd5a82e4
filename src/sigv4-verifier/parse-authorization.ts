/** The `Authorization: AWS4-HMAC-SHA256 …` header and the SigV4 date format. */

const ALGORITHM = 'AWS4-HMAC-SHA256';

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
export function parseAmzDate(value: string): Date | undefined {
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
