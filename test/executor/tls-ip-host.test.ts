/**
 * What broke (issue 11, defect 8): an https endpoint given by IP address (`https://127.0.0.1:8443`)
 * made Node warn `DEP0123: Setting the TLS ServerName to an IP address`, because the IP was sent as the
 * SNI server name. RFC 6066 allows host names only: no SNI is sent for an IP host, directly or through a
 * CONNECT tunnel, and a host name still gets its SNI. The TLS server records what each client sent.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect as netConnect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AgentPool, createExecutor } from '../../src/index.js';
import { sniServername } from '../../src/transport/sni-servername.js';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../support/tls-localhost.js';
import { inputFor, quietContext } from './helpers.js';

let server: Server;
let port: number;
/** The SNI name of each TLS connection (`false` when none was sent). */
const sent: Array<string | false> = [];
const warnings: string[] = [];
const onWarning = (warning: Error & { code?: string }): void => {
  warnings.push(`${warning.code ?? ''} ${warning.message}`);
};

beforeAll(async () => {
  process.on('warning', onWarning);
  server = createHttpsServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (_req, res) => {
    res.writeHead(500, { 'x-amzn-ErrorType': 'ServiceException' }).end('{"message":"recorded"}');
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    sent.push((socket as TLSSocket & { servername: string | false }).servername);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  process.off('warning', onWarning);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const noRetry = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

describe('TLS to an endpoint given by IP address', () => {
  it('sends no SNI name for an IP host, and the host name for a name', () => {
    expect(sniServername('127.0.0.1')).toBe('');
    expect(sniServername('[::1]')).toBe('');
    expect(sniServername('lambda.us-east-1.amazonaws.com')).toBe('lambda.us-east-1.amazonaws.com');
  });

  it('connects to https://127.0.0.1 without an SNI name and without a warning', async () => {
    const pool = new AgentPool({ ca: TEST_TLS_CERT });
    try {
      const call = createExecutor({ pool }).invoke(
        inputFor(`https://127.0.0.1:${port}`, { settings: { retry: noRetry } }),
        quietContext(),
      );
      await expect(call).rejects.toMatchObject({ code: 'SERVICE_ERROR', statusCode: 500 });
      expect(sent.at(-1)).toBe(false);
    } finally {
      pool.destroy();
    }
    expect(warnings.filter((w) => w.includes('DEP0123'))).toEqual([]);
  });

  it('sends no SNI name through a CONNECT tunnel to an IP host either', async () => {
    const proxy = createHttpServer();
    proxy.on('connect', (req, client) => {
      const [host, targetPort] = (req.url ?? '').split(':');
      const upstream = netConnect(Number(targetPort), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const pool = new AgentPool({ ca: TEST_TLS_CERT });
    try {
      const call = createExecutor({ pool }).invoke(
        inputFor(`https://127.0.0.1:${port}`, { settings: { retry: noRetry } }),
        quietContext({ env: { HTTPS_PROXY: proxyUrl } }),
      );
      await expect(call).rejects.toMatchObject({ code: 'SERVICE_ERROR', statusCode: 500 });
      expect(sent.at(-1)).toBe(false);
    } finally {
      pool.destroy();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
    expect(warnings.filter((w) => w.includes('DEP0123'))).toEqual([]);
  });
});
