/**
 * Who may talk to the designer. The page signs AWS calls with the user's credentials, so any website
 * the user visits is a threat: a request is served only when it carries the token (in the URL of the
 * first load, then as a cookie or header), its `Host` names this server by a loopback name or the
 * listening address (a rebound DNS name is refused), and its `Origin`, when sent, is this server.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a script may send the token in instead of the cookie. */
export const TOKEN_HEADER = 'x-designer-token';

/** What the guard knows about the server it protects. */
export interface GuardOptions {
  token: string;
  /** The address the server listens on (`127.0.0.1`, `::1`, or what `--host` said). */
  host: string;
  port: number;
}

/** The verdict on one request: served (and how the token arrived), or refused with the reason. */
export type GuardVerdict =
  | { ok: true; tokenFrom: 'query' | 'cookie' | 'header' }
  | { ok: false; reason: string };

/** The cookie that carries the token after the first load; named by port, as cookies ignore ports. */
export function cookieName(port: number): string {
  return `lambda_stream_designer_${port}`;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The `host:port` spellings that name this server. */
function allowedHosts(options: GuardOptions): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  names.add(options.host.includes(':') ? `[${options.host}]` : options.host);
  return new Set([...names].map((name) => `${name}:${options.port}`));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * Check one request.
 * @example
 * const verdict = guardRequest(req, { token, host: '127.0.0.1', port });
 * if (!verdict.ok) { res.writeHead(403); res.end(verdict.reason); }
 */
export function guardRequest(req: IncomingMessage, options: GuardOptions): GuardVerdict {
  const hosts = allowedHosts(options);
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { ok: false, reason: 'Host is not this designer' };
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
    return { ok: false, reason: 'Origin is not this designer' };
  }
  if (origin !== undefined && !origin.toLowerCase().startsWith('http://')) {
    return { ok: false, reason: 'Origin is not this designer' };
  }
  const header = req.headers[TOKEN_HEADER];
  if (sameToken(typeof header === 'string' ? header : undefined, options.token)) {
    return { ok: true, tokenFrom: 'header' };
  }
  if (sameToken(cookieValue(req.headers.cookie, cookieName(options.port)), options.token)) {
    return { ok: true, tokenFrom: 'cookie' };
  }
  const query = new URL(req.url ?? '/', 'http://designer').searchParams.get('token') ?? undefined;
  if (sameToken(query, options.token)) return { ok: true, tokenFrom: 'query' };
  return { ok: false, reason: 'No valid designer token' };
}
