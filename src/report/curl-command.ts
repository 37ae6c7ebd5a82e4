/**
 * An equivalent `curl --aws-sigv4` command for a request, reading credentials from the environment
 * so the command itself carries no secret.
 */
import type { TestReportRequest } from './test-report.js';

/** Headers the user chose (curl computes the rest: date, signature, hash, host, length). */
const CARRIED = new Set([
  'content-type',
  'x-amz-invocation-type',
  'x-amz-log-type',
  'x-amz-client-context',
  'x-amz-tenant-id',
]);

/** Quote for a POSIX shell. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Build the command from the request as sent (raw headers: only the credential scope's region and the
 * presence of a session token are read from the signing headers).
 * @example
 * curlCommand({ method: 'POST', url, headers, body }).command
 */
export function curlCommand(request: {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  maxInlineBodyBytes?: number;
}): TestReportRequest['curl'] {
  const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const scope = /Credential=[^/]*\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(lower.authorization ?? '');
  const region = scope?.[1] ?? 'us-east-1';
  const service = scope?.[2] ?? 'lambda';
  const parts = [
    'curl --fail-with-body --no-buffer',
    `--aws-sigv4 ${quote(`aws:amz:${region}:${service}`)}`,
    '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
  ];
  if (lower['x-amz-security-token'] !== undefined)
    parts.push('-H "x-amz-security-token: $AWS_SESSION_TOKEN"');
  for (const [name, value] of Object.entries(request.headers)) {
    if (CARRIED.has(name.toLowerCase())) parts.push(`-H ${quote(`${name}: ${value}`)}`);
  }
  const text = Buffer.from(request.body).toString('utf8');
  const inline =
    request.body.length <= (request.maxInlineBodyBytes ?? 4096) &&
    Buffer.from(text, 'utf8').equals(Buffer.from(request.body)) &&
    !text.includes('\u0000');
  let note: string;
  if (inline) parts.push(`--data-binary ${quote(text)}`);
  else parts.push('--data-binary @payload.bin');
  parts.push('--output -', quote(request.url));
  const path = new URL(request.url).pathname;
  const reliable = !path.includes('%');
  if (reliable) {
    note =
      'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) first; the response body is the raw event stream.';
  } else {
    note =
      "Not reliable for this function name: curl's --aws-sigv4 (7.88) signs the path without the second percent-encoding Lambda expects for ARNs and name:qualifier, so the service may answer InvalidSignatureException; use a plain function name with --qualifier, or an SDK.";
  }
  if (!inline) note += ' Write the payload to payload.bin first (it is too large or binary to inline).';
  return { command: parts.join(' '), reliable, note };
}
