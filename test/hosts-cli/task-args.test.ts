import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseTaskArgs } from '../../src/hosts/cli/task-args.js';
import { InputError } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'task-args-'));
  await writeFile(
    join(dir, 'input.json'),
    JSON.stringify({
      path: { FunctionName: 'from-file' },
      headers: { 'X-Amz-Log-Type': 'None' },
      settings: { region: 'eu-west-1' },
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inputError(args: string[]): Promise<InputError> {
  try {
    await parseTaskArgs(args, dir, {});
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseTaskArgs', () => {
  it('maps the AWS CLI names onto the task input', async () => {
    const { input } = await parseTaskArgs(
      [
        '--function-name',
        'echo',
        '--qualifier',
        'prod',
        '--payload',
        '{"a":1}',
        '--log-type',
        'Tail',
        '--client-context',
        'e30=',
        '--invocation-type',
        'DryRun',
        '--region',
        'us-east-1',
        '--endpoint-url',
        'http://127.0.0.1:1',
        '--profile',
        'dev',
        '--output',
        'chunked',
        '--encoding',
        'base64',
        '--framing',
        'line',
        '--connect-timeout-ms',
        '5',
        '--first-byte-timeout-ms',
        '6',
        '--idle-timeout-ms',
        '7',
        '--total-timeout-ms',
        '8',
        '--max-attempts',
        '1',
      ],
      dir,
      {},
    );
    expect(input).toEqual({
      path: { FunctionName: 'echo' },
      query: { Qualifier: 'prod' },
      headers: {
        'X-Amz-Log-Type': 'Tail',
        'X-Amz-Client-Context': 'e30=',
        'X-Amz-Invocation-Type': 'DryRun',
      },
      body: { Payload: '{"a":1}' },
      settings: {
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:1',
        profile: 'dev',
        outputMode: 'chunked',
        outputEncoding: 'base64',
        framing: 'line',
        timeouts: { connectMs: 5, firstByteMs: 6, idleMs: 7, totalMs: 8 },
        retry: { maxAttempts: 1 },
      },
    });
  });

  it('lets flags override a whole --input file, keeping the rest', async () => {
    const { input } = await parseTaskArgs(['--input', 'input.json', '--log-type', 'Tail'], dir, {});
    expect(input).toEqual({
      path: { FunctionName: 'from-file' },
      headers: { 'X-Amz-Log-Type': 'Tail' },
      settings: { region: 'eu-west-1' },
    });
  });

  it('resolves file:// payloads against the working directory (read at call time)', async () => {
    const { input } = await parseTaskArgs(['--function-name', 'f', '--payload', 'file://p.json'], dir, {});
    expect(input.body).toEqual({ Payload: `file://${join(dir, 'p.json')}` });
  });

  it('names the flag for bad values, unknown options and unreadable input files', async () => {
    expect((await inputError(['--payload', '{nope'])).issues[0]?.message).toBe(
      '--payload must be JSON text or file://PATH',
    );
    expect((await inputError(['--max-attempts', 'two'])).issues[0]?.path).toBe('settings.retry.maxAttempts');
    expect((await inputError(['--colour'])).message).toMatch(/colour/);
    expect((await inputError(['--input', 'missing.json'])).message).toMatch(
      /--input missing.json cannot be read/,
    );
  });
});
