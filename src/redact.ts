/**
 * The one exit for secrets. Everything the task prints, logs, reports or returns that could
 * carry key material passes through here: known secret values are replaced wherever they
 * occur, and SigV4 artefacts (signatures, credential scopes, session-token headers) are
 * masked by shape even when their values were never registered.
 */

const MASK = '<redacted>';

/** Access key ids keep their first 4 characters (enough to tell keys apart, useless to an attacker). */
export function maskAccessKeyId(accessKeyId: string): string {
  return accessKeyId.length <= 4 ? MASK : `${accessKeyId.slice(0, 4)}${MASK}`;
}

const SHAPES: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  // Authorization: ... Signature=<64 hex>
  [/(Signature=)[0-9a-fA-F]{16,}/g, (_m, p: string) => `${p}${MASK}`],
  // Credential=AKID.../20150830/us-east-1/lambda/aws4_request
  [/(Credential=)([A-Za-z0-9]{5,})/g, (_m, p: string, key: string) => `${p}${maskAccessKeyId(key)}`],
  // X-Amz-Signature=... in query strings
  [/(X-Amz-Signature=)[0-9a-fA-F]+/gi, (_m, p: string) => `${p}${MASK}`],
  // x-amz-security-token: header lines and JSON/query forms
  [/(x-amz-security-token["']?\s*[:=]\s*["']?)[^"'\s&,}]+/gi, (_m, p: string) => `${p}${MASK}`],
  // AWS access key ids by their documented prefixes
  [
    /\b((?:AKIA|ASIA|AIDA|AROA|ANPA|AGPA|AIPA|ANVA|ABIA|ACCA)[A-Z0-9]{12,})\b/g,
    (m: string) => maskAccessKeyId(m),
  ],
];

/** Secret values registered for a process or a call, longest first so overlaps mask fully. */
export class SecretRegistry {
  /** value → what replaces it */
  private readonly secrets = new Map<string, string>();

  /** Register credentials: the secret key and session token are masked whole, the key id to 4 characters. */
  addCredentials(credentials: {
    accessKeyId?: string;
    secretAccessKey?: string;
    sessionToken?: string;
  }): void {
    const { accessKeyId, secretAccessKey, sessionToken } = credentials;
    if (accessKeyId && accessKeyId.length > 4) this.secrets.set(accessKeyId, maskAccessKeyId(accessKeyId));
    this.add(secretAccessKey, sessionToken);
  }

  /** Register values that must never be printed at all. */
  add(...values: Array<string | undefined>): void {
    for (const value of values) if (value && value.length >= 4) this.secrets.set(value, MASK);
  }

  /** Replace every registered secret and every SigV4 artefact in `text`. */
  redact(text: string): string {
    let out = text;
    const sorted = [...this.secrets].sort((a, b) => b[0].length - a[0].length);
    for (const [secret, replacement] of sorted) {
      if (out.includes(secret)) out = out.split(secret).join(replacement);
    }
    for (const [pattern, replace] of SHAPES)
      out = out.replace(pattern, replace as (m: string, ...g: string[]) => string);
    return out;
  }
}

/**
 * The process-wide registry: credentials resolved by any call are added here, and a host adds the
 * secrets it handles itself so {@link redact} masks them everywhere.
 * @example
 * secrets.addCredentials({ accessKeyId, secretAccessKey })
 */
export const secrets: SecretRegistry = new SecretRegistry();

/**
 * Redact a string or any JSON-like value (deeply). Use it for everything that leaves the process.
 * @example
 * logger.info(redact(`signed ${authorizationHeader}`))
 */
export function redact<T>(value: T, registry: SecretRegistry = secrets): T {
  if (typeof value === 'string') return registry.redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v, registry)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const lower = k.toLowerCase();
      if (lower === 'secretaccesskey' || lower === 'sessiontoken' || lower === 'x-amz-security-token') {
        out[k] = MASK;
      } else if (lower === 'accesskeyid' && typeof v === 'string') {
        out[k] = maskAccessKeyId(v);
      } else {
        out[k] = redact(v, registry);
      }
    }
    return out as T;
  }
  return value;
}
