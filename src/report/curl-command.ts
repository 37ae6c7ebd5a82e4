/**
 * An equivalent `curl --aws-sigv4` command for a request, reading credentials from the environment
 * so the command itself carries no secret.
 */
import type { CallPlan } from '../definition/call-plan.js';
import { redact } from '../redact.js';
import { CREDENTIAL_VARIABLES, SECURITY_TOKEN_HEADER } from '../signing/credentials.js';
import type { TestReportRequest } from './test-report.js';

const { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN } = CREDENTIAL_VARIABLES;

/**
 * The newest curl whose `--aws-sigv4` signs the URL's path as written; from 8.14.0 curl escapes the
 * path once more itself, as SigV4 asks of every service but S3.
 */
const LAST_CURL_SIGNING_PATH_AS_WRITTEN = '8.13';

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
 * headers and signing for its service. Every part taken from the request is redacted here; the one
 * part that is not, the session-token header, is fixed text naming a variable (redacting it would
 * replace the variable and leave a command that cannot run), so the result must not be redacted again.
 *
 * A path with percent-escapes (an ARN, `name:qualifier`) is signed by SigV4 escaped a second time
 * (`%3A` → `%253A`). curl up to 8.13 signs the URL's path as written, so the URL carries the path in
 * the form it is signed and `--request-target` sends it as the service expects; curl 8.14 and later
 * escape the path themselves, so the note gives the plain URL for them.
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
    'curl --silent --show-error --fail-with-body --no-buffer',
    redact(`--aws-sigv4 ${quote(`aws:amz:${region}:${service}`)}`),
    `--user "$${KEY_ID}:$${SECRET}"`,
  ];
  if (lower[SECURITY_TOKEN_HEADER] !== undefined) parts.push(`-H "${SECURITY_TOKEN_HEADER}: $${TOKEN}"`);
  for (const [name, value] of Object.entries(request.headers)) {
    if (carried(plan).has(name.toLowerCase())) parts.push(redact(`-H ${quote(`${name}: ${value}`)}`));
  }
  const text = Buffer.from(request.body).toString('utf8');
  const inline =
    request.body.length <= (request.maxInlineBodyBytes ?? 4096) &&
    Buffer.from(text, 'utf8').equals(Buffer.from(request.body)) &&
    !text.includes('\u0000');
  if (inline) parts.push(redact(`--data-binary ${quote(text)}`));
  else parts.push('--data-binary @payload.bin');
  parts.push('--output -');
  const url = new URL(request.url);
  const target = `${url.pathname}${url.search}`;
  let note = `Set ${KEY_ID} and ${SECRET} (and ${TOKEN}) first; the response body is the raw ${plan.response.kind === 'eventstream' ? 'event stream' : 'payload'}.`;
  if (url.pathname.includes('%')) {
    const signedForm = new URL(request.url);
    signedForm.pathname = url.pathname.replaceAll('%', '%25');
    parts.push(redact(`--request-target ${quote(target)}`), redact(quote(signedForm.href)));
    note += ` For curl 7.75 to ${LAST_CURL_SIGNING_PATH_AS_WRITTEN}: the URL's path is written escaped twice, the form SigV4 signs, and --request-target sends it as the service expects. curl 8.14 and later escape the path themselves: drop --request-target and use the URL ${redact(quote(request.url))}.`;
  } else parts.push(redact(quote(request.url)));
  if (!inline) note += ' Write the payload to payload.bin first (it is too large or binary to inline).';
  return { command: parts.join(' '), reliable: true, note };
}
