/**
 * The designer's server refuses what a foreign website (or a rebound DNS name) could send it: no
 * token, a wrong token, a foreign Origin, a foreign Host; and it never hands credentials to the page.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { type DesignerHandle, startDesigner } from '../../src/hosts/designer/start-designer.js';
import { expectNoSecrets, FAKE } from '../hosts-cli/support/harness.js';

let designer: DesignerHandle;
let token: string;
let base: string;
const emulatorLog: string[] = [];

/** One raw request, with exactly the headers given (node's fetch would set Origin/Host itself). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { host: `127.0.0.1:${port}`, ...headers },
        setHost: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (p: Buffer) => parts.push(p));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(parts).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  // The environment holds credentials: they are used for calls and must never reach the page.
  designer = await startDesigner({
    env: {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
    },
    emulator: { onLog: (line) => emulatorLog.push(line) },
  });
  const url = new URL(designer.url);
  token = url.searchParams.get('token') ?? '';
  base = url.origin;
});
afterAll(async () => {
  await designer.close();
});

describe('designer request guard', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(designer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    expect(designer.backend.kind).toBe('emulator');
  });

  it('serves the page for the token in the URL, sets the cookie, and a strict CSP', async () => {
    const res = await raw('GET', `/?token=${token}`, {});
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/=.+; HttpOnly; SameSite=Strict; Path=\//);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-eval'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).not.toContain(token);
  });

  it('accepts the token as the cookie or the header afterwards', async () => {
    const cookie =
      String((await raw('GET', `/?token=${token}`, {})).headers['set-cookie']).split(';')[0] ?? '';
    expect((await raw('GET', '/api/model', { cookie })).status).toBe(200);
    expect((await raw('GET', '/api/model', { 'x-designer-token': token })).status).toBe(200);
  });

  it('refuses a request with no token', async () => {
    for (const path of ['/', '/api/model', '/app.js']) expect((await raw('GET', path, {})).status).toBe(403);
    const post = await raw('POST', '/api/runs', { 'content-type': 'application/json' }, '{}');
    expect(post.status).toBe(403);
  });

  it('refuses a wrong token, in the URL, the cookie or the header', async () => {
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await raw('GET', `/?token=${wrong}`, {})).status).toBe(403);
    expect((await raw('GET', '/api/model', { 'x-designer-token': wrong })).status).toBe(403);
    const cookieName = `lambda_stream_designer_${new URL(base).port}`;
    expect((await raw('GET', '/api/model', { cookie: `${cookieName}=${wrong}` })).status).toBe(403);
  });

  it('refuses a foreign Origin even with the right token, and runs nothing', async () => {
    const before = emulatorLog.length;
    const body = JSON.stringify({ path: { FunctionName: 'echo' } });
    for (const origin of ['http://evil.example', 'https://127.0.0.1', 'null', `http://127.0.0.1:1`]) {
      const res = await raw(
        'POST',
        '/api/runs',
        { origin, 'x-designer-token': token, 'content-type': 'application/json' },
        body,
      );
      expect(res.status).toBe(403);
      expect(res.text).toContain('Origin');
    }
    expect((await raw('GET', `/?token=${token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect(emulatorLog.length).toBe(before);
  });

  it('refuses a foreign Host (DNS rebinding) even with the right token', async () => {
    const { port } = new URL(base);
    for (const host of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`, 'localhost:1', '127.0.0.1']) {
      const res = await raw('GET', `/?token=${token}`, { host });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Host');
    }
  });

  it('accepts the loopback names and a same Origin', async () => {
    const { port } = new URL(base);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect(
        (await raw('GET', '/api/model', { host, 'x-designer-token': token, origin: `http://${host}` }))
          .status,
      ).toBe(200);
    }
  });

  it('sends the page no credentials and no signer-computed header, only the form', async () => {
    const res = await raw('GET', '/api/model', { 'x-designer-token': token });
    expect(res.text).not.toContain(FAKE.secretAccessKey);
    expect(res.text).not.toContain(FAKE.accessKeyId);
    const model = JSON.parse(res.text) as {
      schema: { properties: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(model.schema.properties)).toEqual(['path', 'headers', 'query', 'body', 'settings']);
    expect(model.schema.properties.headers?.properties).not.toHaveProperty('Authorization');
    expect(model.schema.properties.headers?.properties).not.toHaveProperty('X-Amz-Security-Token');
    expect(model.schema.properties.settings?.properties).not.toHaveProperty('credentials');
    expect(model.schema.properties.headers?.properties).toHaveProperty('X-Amz-Log-Type');
  });

  it('streams a run on the AWS chain without a credential or a signature in anything the page gets', async () => {
    const emulator = await startEmulator({
      credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
    });
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_LAMBDA: emulator.url,
      AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
      AWS_SESSION_TOKEN: FAKE.sessionToken,
    };
    const aws = await startDesigner({ env });
    try {
      expect(aws.backend.kind).toBe('environment');
      const url = new URL(aws.url);
      const headers = {
        'x-designer-token': url.searchParams.get('token') ?? '',
        'content-type': 'application/json',
      };
      const input = { path: { FunctionName: 'echo' }, body: { Payload: { hello: 'page' } } };
      const created = await fetch(new URL('/api/runs', url.origin), {
        method: 'POST',
        headers,
        body: JSON.stringify(input),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const events = await (await fetch(new URL(`/api/runs/${id}/events`, url.origin), { headers })).text();
      const last = JSON.parse(
        events
          .trim()
          .split('\n\n')
          .at(-1)
          ?.replace(/^data: /, '') ?? '{}',
      ) as {
        type: string;
        report: { outcome: string };
      };
      expect(last).toMatchObject({ type: 'report', report: { outcome: 'success' } });
      const model = await (await fetch(new URL('/api/model', url.origin), { headers })).text();
      expectNoSecrets(events + model);
    } finally {
      await aws.close();
      await emulator.close();
    }
  });
});
