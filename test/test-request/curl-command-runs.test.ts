/**
 * What broke (issue 11, defects 1 and 11): with a session token the printed curl command carried
 * `x-amz-security-token: <redacted>` (redaction replaced the `$AWS_SESSION_TOKEN` placeholder), so it
 * failed with every temporary credential; and for an ARN or `name:qualifier` it was marked unreliable
 * because curl signed the path escaped once. Each printed command is run here by a shell with the
 * three variables exported, against the emulator, which checks the signature as the service does.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { testRequest } from '../../src/index.js';
import { FAKE } from '../hosts-cli/support/harness.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
});
afterAll(async () => {
  await emulator.close();
});

function runShell(command: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['--norc', '--noprofile', '-c', command],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          AWS_ACCESS_KEY_ID: FAKE.accessKeyId,
          AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey,
          AWS_SESSION_TOKEN: FAKE.sessionToken,
        },
        encoding: 'latin1',
      },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

/** The installed curl's version, `[major, minor]`. */
async function curlVersion(): Promise<[number, number]> {
  const { stdout } = await runShell('curl --version');
  const m = /^curl (\d+)\.(\d+)/.exec(stdout);
  if (!m) throw new Error(`curl --version said: ${stdout.slice(0, 80)}`);
  return [Number(m[1]), Number(m[2])];
}

/** The command for the installed curl: as printed, or (curl 8.14+) in the form the note gives. */
async function forInstalledCurl(command: string, note: string): Promise<string> {
  const [major, minor] = await curlVersion();
  if (major < 8 || (major === 8 && minor <= 13) || !command.includes('--request-target')) return command;
  const url = /use the URL ('[^']+')/.exec(note)?.[1];
  if (url === undefined) throw new Error(`the note names no URL for curl 8.14+: ${note}`);
  return command.replace(/ --request-target '[^']*' '[^']*'$/, ` ${url}`);
}

describe('the Test request curl command', () => {
  it.each([
    ['a plain name', 'echo', '$LATEST'],
    ['a qualified name', 'echo:live', '2'],
    ['a partial ARN', '000000000000:function:echo', '$LATEST'],
    ['a full ARN', 'arn:aws:lambda:us-east-1:000000000000:function:echo', '$LATEST'],
    ['a full ARN with a qualifier', 'arn:aws:lambda:us-east-1:000000000000:function:echo:1', '1'],
  ])('runs as printed with temporary credentials for %s', async (_label, name, version) => {
    const report = await testRequest(
      { path: { FunctionName: name }, body: { Payload: { curl: 'ran' } } },
      {
        credentials: FAKE,
        env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: emulator.url },
      },
    );
    expect(report.outcome).toBe('success');
    const curl = report.request!.curl;
    expect(curl.reliable).toBe(true);
    expect(curl.command).toContain('-H "x-amz-security-token: $AWS_SESSION_TOKEN"');
    expect(curl.command).not.toContain(FAKE.sessionToken);
    expect(curl.command).not.toContain(FAKE.secretAccessKey);
    const run = await runShell(await forInstalledCurl(curl.command, curl.note));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The body is the raw event stream: the chunk's bytes and the completion event are in it.
    expect(run.stdout).toContain('{"curl":"ran"}');
    expect(run.stdout).toContain('InvokeComplete');
    expect(report.output?.executedVersion).toBe(version);
  });

  it('names the curl versions each form of an escaped path is for', async () => {
    const report = await testRequest(
      { path: { FunctionName: 'echo:live' } },
      { credentials: FAKE, env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: emulator.url } },
    );
    const curl = report.request!.curl;
    expect(curl.command).toContain(
      "--request-target '/2021-11-15/functions/echo%3Alive/response-streaming-invocations'",
    );
    expect(curl.command).toContain(
      `'${emulator.url}/2021-11-15/functions/echo%253Alive/response-streaming-invocations'`,
    );
    expect(curl.note).toContain('curl 7.75 to 8.13');
    expect(curl.note).toContain(
      `curl 8.14 and later escape the path themselves: drop --request-target and use the URL '${emulator.url}/2021-11-15/functions/echo%3Alive/response-streaming-invocations'`,
    );
  });
});
