// The pure parts: FunctionName forms, config files and fault specs, each refused with the field named.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { checkFaultSpec } from '../../src/emulator/faults.js';
import { checkFunctionConfig } from '../../src/emulator/function-config.js';
import { startEmulator } from '../../src/emulator/index.js';
import { parseFunctionName } from '../../src/emulator/parse-function-name.js';
import { InputError } from '../../src/index.js';

describe('parseFunctionName', () => {
  it.each([
    ['echo', { name: 'echo' }],
    ['echo:prod', { name: 'echo', qualifier: 'prod' }],
    ['echo:$LATEST', { name: 'echo', qualifier: '$LATEST' }],
    ['123456789012:function:echo', { name: 'echo', accountId: '123456789012' }],
    [
      'us-west-2:123456789012:function:echo:3',
      { name: 'echo', qualifier: '3', region: 'us-west-2', accountId: '123456789012' },
    ],
    [
      'arn:aws:lambda:us-gov-west-1:123456789012:function:my_fn.v2:live',
      { name: 'my_fn.v2', qualifier: 'live', region: 'us-gov-west-1', accountId: '123456789012' },
    ],
  ])('reads %s', (value, expected) => {
    expect(parseFunctionName(value)).toEqual(expected);
  });

  it.each(['', 'has space', 'arn:aws:s3:::bucket', 'a/b', 'x'.repeat(65), 'echo:a:b'])(
    'refuses %j',
    (value) => {
      expect(parseFunctionName(value)).toBeUndefined();
    },
  );
});

describe('checkFunctionConfig', () => {
  it('fills Lambda’s defaults', () => {
    expect(checkFunctionConfig({}, 'f.config.json')).toEqual({
      timeout: 3,
      memorySize: 128,
      versions: [],
      aliases: {},
      environment: {},
    });
  });

  it.each([
    [{ timeout: 0 }, 'f.config.json: timeout must be a number of seconds from 1 to 900'],
    [{ memorySize: 64 }, 'f.config.json: memorySize must be an integer from 128 to 10240'],
    [{ versions: [1] }, 'f.config.json: versions must be an array of version numbers as strings'],
    [
      { versions: ['1'], aliases: { prod: '2' } },
      'f.config.json: aliases.prod must name $LATEST or one of versions',
    ],
    [{ aliases: { '12': '$LATEST' } }, 'f.config.json: aliases.12 is not a valid alias name'],
    [{ faults: { throttle: 'x' } }, 'f.config.json: faults.throttle must be a non-negative integer'],
    [{ timout: 3 }, "f.config.json: 'timout' is not a config field"],
  ])('refuses %j', (value, message) => {
    expect(() => checkFunctionConfig(value, 'f.config.json')).toThrow(message);
  });
});

describe('checkFaultSpec', () => {
  it('accepts every documented fault', () => {
    const spec = {
      key: 'k',
      throttle: 1,
      retryAfterSeconds: 0,
      throttleReason: 'CallerRateLimitExceeded',
      serverError: 1,
      serverErrorStatus: 503,
      serverErrorType: 'ServiceException',
      delayFirstChunkMs: 1,
      delayBetweenChunksMs: 1,
      dropAfterChunks: 0,
      corruptChunk: 1,
      truncateMessage: 1,
      omitComplete: true,
      clockSkewMs: -60000,
    };
    expect(checkFaultSpec(spec, 'f')).toBeUndefined();
  });

  it.each([
    [[], 'f must be an object'],
    [{ explode: true }, 'f.explode is not a known fault'],
    [{ serverErrorStatus: 404 }, 'f.serverErrorStatus must be an integer from 500 to 599'],
    [{ corruptChunk: 0 }, 'f.corruptChunk counts from 1'],
    [{ omitComplete: 'yes' }, 'f.omitComplete must be true or false'],
  ])('refuses %j', (value, message) => {
    expect(checkFaultSpec(value, 'f')).toContain(message);
  });
});

describe('startEmulator options', () => {
  it.each([
    [{ port: 70000 }, 'port'],
    [{ functionsDir: '/no/such/folder' }, 'functionsDir'],
    [{ credentials: [] }, 'credentials'],
    [{ credentials: [{ accessKeyId: 'a', secretAccessKey: '' }] }, 'credentials[0]'],
    [{ faults: { echo: { throttle: -1 } } }, 'faults.echo'],
  ])('refuses %j before listening, naming the field', async (options, path) => {
    const error = await startEmulator(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('INVALID_INPUT');
    expect((error as InputError).issues[0]?.path).toBe(path);
  });

  it('refuses a folder whose config file is broken, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-config-'));
    try {
      await writeFile(join(dir, 'f.mjs'), 'export const handler = async () => 1;');
      await writeFile(join(dir, 'f.config.json'), '{"timeout": "soon"}');
      await expect(startEmulator({ functionsDir: dir })).rejects.toThrow(
        'f.config.json: timeout must be a number of seconds from 1 to 900',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
