/**
 * AWS conventions a user of the SDKs relies on (issue 11): regions of newer partitions from settings
 * (defect 2) and the FIPS / dual-stack variables and profile keys (defect 6). The endpoint a call goes
 * to is seen without leaving the machine: HTTPS_PROXY points at a local proxy that records the CONNECT
 * target and refuses it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { execute, isTaskError, loadManifest, validateInput } from '../../src/index.js';
import { resolveEndpoint } from '../../src/request/resolve-endpoint.js';
import { FAKE } from '../hosts-cli/support/harness.js';

let proxy: Server;
let proxyUrl: string;
const targets: string[] = [];
let dir: string;
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aws-conventions-'));
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket) => {
    targets.push(req.url ?? '');
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** The host:port the call tried to reach through the proxy (the call itself fails at the proxy). */
async function targetOf(settings: Record<string, unknown>, env: Record<string, string>): Promise<string> {
  const before = targets.length;
  await expect(
    execute(
      { path: { FunctionName: 'echo' }, settings: { retry: { maxAttempts: 1 }, ...settings } },
      {
        credentials: FAKE,
        env: {
          HOME: dir,
          AWS_CONFIG_FILE: join(dir, 'none'),
          AWS_REGION: 'us-east-1',
          HTTPS_PROXY: proxyUrl,
          ...env,
        },
      },
    ),
  ).rejects.toMatchObject({ code: expect.any(String) });
  expect(targets.length).toBe(before + 1);
  return targets[targets.length - 1]!;
}

async function refusal(settings: Record<string, unknown>, env: Record<string, string>): Promise<unknown> {
  const before = targets.length;
  const error = await execute(
    { path: { FunctionName: 'echo' }, settings },
    {
      credentials: FAKE,
      env: { HOME: dir, AWS_CONFIG_FILE: join(dir, 'none'), HTTPS_PROXY: proxyUrl, ...env },
    },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(targets.length).toBe(before); // refused before anything was sent
  return error;
}

describe('regions of every partition from settings (defect 2)', () => {
  // What broke: settings.region refused eusc-de-east-1 ("must be an AWS region code such as
  // us-east-1") while AWS_REGION=eusc-de-east-1 worked.
  it('accepts a region of each partition in settings.region', () => {
    const regions = [
      'us-east-1',
      'cn-north-1',
      'us-gov-west-1',
      'us-iso-east-1',
      'us-isob-east-1',
      'eu-isoe-west-1',
      'us-isof-south-1',
      'eusc-de-east-1',
    ];
    for (const region of regions)
      expect(validateInput({ path: { FunctionName: 'echo' }, settings: { region } })).toEqual([]);
  });

  it('calls with settings.region eusc-de-east-1 (signing region) and resolves its partition endpoint', async () => {
    const result = await execute(
      {
        path: { FunctionName: 'echo' },
        body: { Payload: { ok: 1 } },
        settings: { region: 'eusc-de-east-1', endpoint: emulator.url },
      },
      { credentials: FAKE, env: { HOME: dir, AWS_CONFIG_FILE: join(dir, 'none') } },
    );
    expect(result).toMatchObject({ result: { statusCode: 200, payload: { ok: 1 } } });
    expect(await targetOf({ region: 'eusc-de-east-1' }, {})).toBe('lambda.eusc-de-east-1.amazonaws.eu:443');
  });

  it('refuses a settings region no partition serves, naming the field and the rule', async () => {
    const error = await refusal({ region: 'xx-future-1' }, {});
    expect(isTaskError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ location: 'settings', path: 'settings.region', keyword: 'partition' }],
    });
    expect((error as Error).message).toContain(
      'settings.region "xx-future-1" is not a region of the definition\'s partitions',
    );
    expect((error as Error).message).toContain('aws-eusc ^eusc\\-(de)\\-\\w+\\-\\d+$');
    // From the environment, an unknown region still goes to the default partition, as in the SDKs.
    const endpoint = resolveEndpoint(loadManifest().plan.endpoint, {
      region: 'xx-future-1',
      regionField: 'AWS_REGION',
      env: {},
    });
    expect(endpoint.host).toBe('lambda.xx-future-1.amazonaws.com');
  });
});

describe('FIPS and dual-stack from settings, environment, then profile (defect 6)', () => {
  // What broke: AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT and the profile keys were ignored.
  it('reads AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT', async () => {
    expect(await targetOf({}, {})).toBe('lambda.us-east-1.amazonaws.com:443');
    expect(await targetOf({}, { AWS_USE_FIPS_ENDPOINT: 'true' })).toBe(
      'lambda-fips.us-east-1.amazonaws.com:443',
    );
    expect(await targetOf({}, { AWS_USE_DUALSTACK_ENDPOINT: 'TRUE' })).toBe('lambda.us-east-1.api.aws:443');
    expect(await targetOf({}, { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' })).toBe(
      'lambda-fips.us-east-1.api.aws:443',
    );
  });

  it('reads use_fips_endpoint and use_dualstack_endpoint from the profile', async () => {
    const config = join(dir, 'config');
    await writeFile(
      config,
      '[default]\nuse_fips_endpoint = true\n\n[profile dual]\nuse_dualstack_endpoint=true\n',
    );
    expect(await targetOf({}, { AWS_CONFIG_FILE: config })).toBe('lambda-fips.us-east-1.amazonaws.com:443');
    expect(await targetOf({}, { AWS_CONFIG_FILE: config, AWS_PROFILE: 'dual' })).toBe(
      'lambda.us-east-1.api.aws:443',
    );
    expect(await targetOf({ profile: 'dual' }, { AWS_CONFIG_FILE: config })).toBe(
      'lambda.us-east-1.api.aws:443',
    );
    // The environment wins over the profile, the settings over both.
    expect(await targetOf({}, { AWS_CONFIG_FILE: config, AWS_USE_FIPS_ENDPOINT: 'false' })).toBe(
      'lambda.us-east-1.amazonaws.com:443',
    );
    expect(
      await targetOf({ useFipsEndpoint: false }, { AWS_CONFIG_FILE: config, AWS_USE_FIPS_ENDPOINT: 'true' }),
    ).toBe('lambda.us-east-1.amazonaws.com:443');
    expect(await targetOf({ useDualstackEndpoint: true }, {})).toBe('lambda.us-east-1.api.aws:443');
  });

  it('refuses a value that is not true or false, and a variant with a custom endpoint, naming the source', async () => {
    const bad = await refusal({}, { AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'yes' });
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'AWS_USE_FIPS_ENDPOINT' }] });
    expect((bad as Error).message).toBe('AWS_USE_FIPS_ENDPOINT must be "true" or "false", not "yes"');
    const custom = await refusal(
      {},
      { AWS_REGION: 'us-east-1', AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_ENDPOINT_URL_LAMBDA: emulator.url },
    );
    expect(custom).toMatchObject({
      code: 'INVALID_ENDPOINT',
      issues: [{ path: 'AWS_USE_DUALSTACK_ENDPOINT' }],
    });
  });
});
