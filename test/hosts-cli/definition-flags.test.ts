import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { definitionFlags, kebabCase } from '../../src/hosts/cli/definition-flags.js';
import { main } from '../../src/hosts/cli/main.js';
import { parseTaskArgs } from '../../src/hosts/cli/task-args.js';
import { InputError, loadManifest, packagePath, validateInput } from '../../src/index.js';
import { captureIO } from './support/harness.js';

/** A definition whose parameter titles, wire names, path and setting names all differ from the packaged one. */
const RENAMED = packagePath('test', 'fixtures', 'cli-renamed', 'manifest.json');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'definition-flags-'));
  await writeFile(
    join(dir, 'job.json'),
    JSON.stringify({ path: { JobId: 'from-file' }, query: { rev: '1' } }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const { io, stdout, stderr } = captureIO({}, { cwd: dir });
  const status = await main(args, io);
  return { status, out: stdout.text(), err: stderr.text() };
}

describe('the flags of a definition', () => {
  it('kebab-cases schema titles', () => {
    expect(kebabCase('Function name')).toBe('function-name');
    expect(kebabCase('Log type')).toBe('log-type');
    expect(kebabCase('Qualifier')).toBe('qualifier');
    expect(kebabCase('MaxItems')).toBe('max-items');
    expect(kebabCase('  Content-MD5 (base64) ')).toBe('content-md5-base64');
  });

  it("keep today's flag names for the packaged definition, and leave out the signer's computed headers", () => {
    const flags = definitionFlags(loadManifest());
    expect(flags.parameters.map((p) => [p.flag, `${p.location}.${p.name}`])).toEqual([
      ['function-name', 'path.FunctionName'],
      ['invocation-type', 'headers.X-Amz-Invocation-Type'],
      ['log-type', 'headers.X-Amz-Log-Type'],
      ['client-context', 'headers.X-Amz-Client-Context'],
      ['tenant-id', 'headers.X-Amz-Tenant-Id'],
      ['content-type', 'headers.Content-Type'],
      ['qualifier', 'query.Qualifier'],
      ['payload', 'body.Payload'],
    ]);
    expect(flags.settings.map((s) => [s.flag, s.path.join('.')])).toEqual([
      ['region', 'region'],
      ['endpoint-url', 'endpoint'],
      ['profile', 'profile'],
      ['output', 'outputMode'],
      ['encoding', 'outputEncoding'],
      ['framing', 'framing'],
      ['connect-timeout-ms', 'timeouts.connectMs'],
      ['first-byte-timeout-ms', 'timeouts.firstByteMs'],
      ['idle-timeout-ms', 'timeouts.idleMs'],
      ['total-timeout-ms', 'timeouts.totalMs'],
      ['max-attempts', 'retry.maxAttempts'],
    ]);
  });

  it('follow a renamed definition: parameter titles, wire names and the setting names it declares', () => {
    const flags = definitionFlags(loadManifest(RENAMED));
    expect(flags.parameters.map((p) => [p.flag, `${p.location}.${p.name}`])).toEqual([
      ['job-identifier', 'path.JobId'],
      ['trace-mode', 'headers.X-Trace-Mode'],
      // Its title is 'Region', which the --region settings flag already is.
      ['headers-region', 'headers.X-Region-Hint'],
      ['media-type', 'headers.X-Media-Type'],
      ['revision', 'query.rev'],
      ['document', 'body.Document'],
    ]);
    expect(flags.settings.slice(0, 4).map((s) => [s.flag, s.path.join('.')])).toEqual([
      ['region', 'zone'],
      ['endpoint-url', 'baseUrl'],
      ['profile', 'account'],
      ['output', 'shape'],
    ]);
  });

  it('turn a command line into a valid task input of the renamed definition', async () => {
    const { input } = await parseTaskArgs(
      [
        '--manifest',
        RENAMED,
        '--input',
        'job.json',
        '--job-identifier',
        'job-7',
        '--trace-mode',
        'full',
        '--headers-region',
        'north',
        '--document',
        '@doc.json',
        '--region',
        'us-east-1',
        '--endpoint-url',
        'http://127.0.0.1:1',
        '--profile',
        'dev',
        '--output',
        'chunked',
        '--max-attempts',
        '2',
      ],
      dir,
      {},
    );
    expect(input).toEqual({
      path: { JobId: 'job-7' },
      query: { rev: '1' },
      headers: { 'X-Trace-Mode': 'full', 'X-Region-Hint': 'north' },
      // The definition's file reference prefix is '@'; the path is made absolute as for file://.
      body: { Document: `@${join(dir, 'doc.json')}` },
      settings: {
        zone: 'us-east-1',
        baseUrl: 'http://127.0.0.1:1',
        account: 'dev',
        shape: 'chunked',
        retry: { maxAttempts: 2 },
      },
    });
    expect(validateInput(input, loadManifest(RENAMED))).toEqual([]);
  });

  it("refuse the packaged definition's flags for the renamed one, naming the option", async () => {
    let thrown: unknown;
    try {
      await parseTaskArgs(['--manifest', RENAMED, '--function-name', 'echo'], dir, {});
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).message).toContain("Unknown option '--function-name'");
  });

  it('write the help from the definition: values, where each flag goes, descriptions, an example', async () => {
    const { status, out } = await cli(['run', '--manifest', RENAMED, '--help']);
    expect(status).toBe(0);
    expect(out).toContain('Usage: lambda-stream run --job-identifier TEXT [options]');
    expect(out).toContain('Make the call of Example jobs: stream results (StreamJobResults)');
    expect(out).toMatch(
      /--job-identifier TEXT +required; path parameter JobId\n +The job whose results to stream\./,
    );
    expect(out).toMatch(
      /--trace-mode off\|full +header X-Trace-Mode\n +How much the service traces the job\. Default: "off"\./,
    );
    expect(out).toMatch(/--document JSON\|@PATH +the body \(Document\)/);
    expect(out).toMatch(/--region TEXT +setting zone/);
    expect(out).toContain(
      `lambda-stream run --job-identifier job-42 --document '{"rows":3}' --output chunked`,
    );
    expect(out).not.toContain('--function-name');
    const packaged = await cli(['test', '--help']);
    expect(packaged.out).toMatch(/--log-type Tail\|None +header X-Amz-Log-Type/);
    expect(packaged.out).not.toMatch(/--authorization|--x-amz-date/);
  });

  it('validate checks an input against the renamed definition', async () => {
    const ok = await cli(['validate', '--manifest', RENAMED, '--input', 'job.json']);
    expect(ok).toMatchObject({ status: 0, out: 'job.json: valid\n' });
    const packaged = await cli(['validate', '--input', 'job.json']);
    expect(packaged.status).toBe(2);
  });

  it('a broken --manifest exits 3 naming the definition problem, before any flag is parsed', async () => {
    await writeFile(join(dir, 'broken.manifest.json'), '{"manifestVersion": 1}');
    const { status, err } = await cli(['run', '--manifest', 'broken.manifest.json', '--anything']);
    expect(status).toBe(3);
    expect(err).toContain('DEFINITION_INVALID');
  });
});
