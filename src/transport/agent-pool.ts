import http from 'node:http';
import type https from 'node:https';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';
import { sniServername } from './sni-servername.js';

/**
 * node:https, loaded on the first https target or proxy: loading it (and node:tls) costs ~3.5 ms of a
 * cold start that a process talking plain http (a local emulator, a test) never needs.
 * @example
 * httpsModule().request(options)
 */
export function httpsModule(): typeof https {
  return process.getBuiltinModule('node:https');
}

/** TLS options shared by every https connection of a pool (tests pass a private CA). */
export interface PoolOptions {
  ca?: string | Buffer | Array<string | Buffer>;
}

/** `Basic …` for a proxy URL with user info, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(user).toString('base64')}`;
}

type CreateCallback = (error: Error | null, socket: Duplex) => void;

type TunnelAgentClass = new (proxy: URL, options: https.AgentOptions) => https.Agent;
let tunnelAgentClass: TunnelAgentClass | undefined;

/** The tunnel agent's class, defined on first use because its base class comes from node:https. */
function tunnelAgent(): TunnelAgentClass {
  tunnelAgentClass ??= defineTunnelAgent(httpsModule(), process.getBuiltinModule('node:tls'));
  return tunnelAgentClass;
}

function defineTunnelAgent(httpsLib: typeof https, tlsLib: typeof tls): TunnelAgentClass {
  /**
   * An https agent whose connections go through an HTTP `CONNECT` tunnel, so TLS runs end to end
   * with the target and keep-alive still pools the tunnelled sockets.
   */
  return class TunnelAgent extends httpsLib.Agent {
    constructor(
      private readonly proxy: URL,
      options: https.AgentOptions,
    ) {
      super(options);
    }

    override createConnection(options: http.ClientRequestArgs, callback?: CreateCallback): undefined {
      const done = callback ?? (() => {});
      const host = options.hostname ?? options.host ?? 'localhost';
      const port = Number(options.port ?? 443);
      const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const headers: Record<string, string> = { host: authority };
      const auth = proxyAuthorization(this.proxy);
      if (auth) headers['proxy-authorization'] = auth;
      const connectRequest = (this.proxy.protocol === 'https:' ? httpsLib : http).request({
        host: this.proxy.hostname,
        port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
        method: 'CONNECT',
        path: authority,
        headers,
        agent: false,
      });
      connectRequest.once('connect', (response, socket) => {
        if (response.statusCode !== 200) {
          socket.destroy();
          done(
            new Error(
              `the proxy ${this.proxy.host} refused the tunnel to ${authority}: HTTP ${response.statusCode}`,
            ),
            socket,
          );
          return;
        }
        const secure = tlsLib.connect({
          ...(options as tls.ConnectionOptions),
          socket,
          servername: (options as tls.ConnectionOptions).servername ?? sniServername(host),
        });
        done(null, secure);
      });
      connectRequest.once('error', (error) => done(error, connectRequest.socket ?? new Socket()));
      connectRequest.end();
      return undefined;
    }
  };
}

/**
 * Keep-alive agents, one per scheme and proxy. The only shared mutable state of the transport:
 * connections are reused across calls, which is what makes small calls fast.
 * @example
 * const agent = defaultAgentPool.agentFor(new URL('https://lambda.us-east-1.amazonaws.com'), undefined)
 */
export class AgentPool {
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly options: PoolOptions = {}) {}

  /** The agent for a target: direct, via an http proxy (absolute-form), or via a CONNECT tunnel. */
  agentFor(target: URL, proxy: URL | undefined): http.Agent {
    const https_ = target.protocol === 'https:';
    const key = `${target.protocol}|${proxy?.href ?? ''}`;
    const existing = this.agents.get(key);
    if (existing) return existing;
    let agent: http.Agent;
    const common = { keepAlive: true, scheduling: 'lifo' as const, maxFreeSockets: 256 };
    const tlsOptions = this.options.ca === undefined ? {} : { ca: this.options.ca };
    if (https_ && proxy) agent = new (tunnelAgent())(proxy, { ...common, ...tlsOptions });
    else if (https_) agent = new (httpsModule().Agent)({ ...common, ...tlsOptions });
    else if (proxy?.protocol === 'https:') agent = new (httpsModule().Agent)({ ...common, ...tlsOptions });
    else agent = new http.Agent(common);
    this.agents.set(key, agent);
    return agent;
  }

  /** Close every pooled connection (tests and hosts shutting down). */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** The process-wide pool used when a call names none. */
export const defaultAgentPool: AgentPool = new AgentPool();
