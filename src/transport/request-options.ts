import http from 'node:http';
import { type AgentPool, httpsModule, proxyAuthorization } from './agent-pool.js';
import { resolveProxy } from './resolve-proxy.js';

/** A signed request as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** The target's scheme, host and port. */
  origin: URL;
  /** Path and encoded query, exactly as on the request line. */
  target: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * The headers as name/value pairs, with the body's `content-length`. Given pairs, node:http writes
 * the header block in one pass (validating every name and value) instead of first storing each
 * header through `setHeader`; it then adds no headers of its own except `Connection`, so the
 * length that it would otherwise add at `end(body)` is set here.
 */
function headerLines(headers: Record<string, string>, body: Uint8Array): string[] {
  const lines: string[] = [];
  let hasLength = false;
  for (const name of Object.keys(headers)) {
    lines.push(name, headers[name]!);
    if (!hasLength && name.length === 14 && name.toLowerCase() === 'content-length') hasLength = true;
  }
  if (!hasLength) lines.push('content-length', String(body.byteLength));
  return lines;
}

/**
 * How to send `request`: node:http's options and the module to send them with, through the pooled
 * agent for its origin, or through the proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`,
 * `NO_PROXY`).
 * @example
 * const { options, send } = requestOptions(wire, pool, process.env); send(options)
 */
export function requestOptions(
  request: WireRequest,
  pool: AgentPool,
  env: Readonly<Record<string, string | undefined>>,
): { options: http.RequestOptions; send: typeof http.request } {
  const { origin } = request;
  const secure = origin.protocol === 'https:';
  const proxy = resolveProxy(origin, env);
  const agent = pool.agentFor(origin, proxy);
  if (proxy && !secure) {
    // Plain-http target through a proxy: absolute-form request line, sent to the proxy.
    const headers: Record<string, string> = { ...request.headers };
    const auth = proxyAuthorization(proxy);
    if (auth) headers['proxy-authorization'] = auth;
    return {
      options: {
        host: proxy.hostname,
        port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
        path: `${origin.origin}${request.target}`,
        method: request.method,
        headers,
        agent,
      },
      send: proxy.protocol === 'https:' ? httpsModule().request : http.request,
    };
  }
  return {
    options: {
      host: origin.hostname.replace(/^\[|\]$/g, ''),
      port: origin.port ? Number(origin.port) : secure ? 443 : 80,
      path: request.target,
      method: request.method,
      headers: headerLines(request.headers, request.body),
      agent,
      ...(secure ? { servername: origin.hostname } : {}),
    },
    send: secure ? httpsModule().request : http.request,
  };
}
