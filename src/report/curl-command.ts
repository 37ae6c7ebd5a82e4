/**
 * An equivalent `curl --aws-sigv4` command for a request, reading credentials from the environment
 * so the command itself carries no secret.
 */
import type { CallPlan } from '../definition/call-plan.js';
import { CREDENTIAL_VARIABLES, SECURITY_TOKEN_HEADER } from '../signing/credentials.js';

const { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN } = CREDENTIAL_VARIABLES;

import type { TestReportRequest } from './test-report.js';

const carriedHeaders = new WeakMap<CallPlan, ReadonlySet<string>>();

/** The header parameters a caller sets (curl computes the rest: date, signature, hash, host, length). */
function carried(plan: CallPlan): ReadonlySet<string> {
  let names = carriedHeaders.get(plan);
  if (names === undefined) {
    names = new Set(plan.callerHeaders.map((h) => h.toLowerCase()));
    carriedHeaders.set(plan, names);
  }
  return names;
}

/** Quote for a POSIX shell. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Build the command from the request as sent (raw headers: only the credential scope's region and the
 * presence of a session token are read from the signing headers), carrying the definition's caller
 * headers and signing for its service.
 * @example
 * curlCommand(manifest.plan, { url, headers, body }).command
 */
export function curlCommand(
  plan: CallPlan,
  request: {
    url: string;
    headers: Record<string, string>;
    body: Uint8Array;
    maxInlineBodyBytes?: number;
  },
): TestReportRequest['curl'] {
  const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const scope = /Credential=[^/]*\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(lower.authorization ?? '');
  const region = scope?.[1] ?? 'us-east-1';
  const service = scope?.[2] ?? plan.signingName;
  const parts = [
    'curl --fail-with-body --no-buffer',
    `--aws-sigv4 ${quote(`aws:amz:${region}:${service}`)}`,
    `--user "$${KEY_ID}:$${SECRET}"`,
  ];
  if (lower[SECURITY_TOKEN_HEADER] !== undefined) parts.push(`-H "${SECURITY_TOKEN_HEADER}: $${TOKEN}"`);
  for (const [name, value] of Object.entries(request.headers)) {
    if (carried(plan).has(name.toLowerCase())) parts.push(`-H ${quote(`${name}: ${value}`)}`);
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
    note = `Set ${KEY_ID} and ${SECRET} (and ${TOKEN}) first; the response body is the raw ${plan.response.kind === 'eventstream' ? 'event stream' : 'payload'}.`;
  } else {
    note =
      "Not reliable for this function name: curl's --aws-sigv4 (7.88) signs the path without the second percent-encoding the service expects for ARNs and name:qualifier, so the service may answer InvalidSignatureException; use a plain function name with --qualifier, or an SDK.";
  }
  if (!inline) note += ' Write the payload to payload.bin first (it is too large or binary to inline).';
  return { command: parts.join(' '), reliable, note };
}
