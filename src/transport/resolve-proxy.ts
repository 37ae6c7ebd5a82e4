/**
 * Whether `NO_PROXY` exempts a host: `*` exempts all; an entry matches the host itself or any
 * subdomain (`example.com`, `.example.com` and `*.example.com` all match `a.example.com`); an
 * entry with `:port` matches only that port.
 * @example
 * isNoProxy('api.internal', 443, 'localhost,.internal') // true
 */
export function isNoProxy(hostname: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const portMatch = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''));
    const entryHost = (portMatch?.[1] ?? entry).replace(/^\*?\./, '');
    const entryPort = portMatch?.[2];
    if (entryPort !== undefined && Number(entryPort) !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/**
 * The proxy for a target URL from the environment: `https_proxy`/`HTTPS_PROXY` for https
 * targets, `http_proxy`/`HTTP_PROXY` for http targets, unless `NO_PROXY` exempts the host.
 * @example
 * resolveProxy(new URL('https://lambda.us-east-1.amazonaws.com'), { HTTPS_PROXY: 'http://proxy:3128' })?.host // 'proxy:3128'
 */
export function resolveProxy(
  target: URL,
  env: Readonly<Record<string, string | undefined>>,
): URL | undefined {
  const https = target.protocol === 'https:';
  const value = https ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!value) return undefined;
  const port = target.port ? Number(target.port) : https ? 443 : 80;
  if (isNoProxy(target.hostname, port, env.no_proxy || env.NO_PROXY)) return undefined;
  try {
    return new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    return undefined;
  }
}
