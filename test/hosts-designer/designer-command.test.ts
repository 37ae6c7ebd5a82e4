/**
 * `lambda-stream designer` as a command: prints its URL and backend, serves the form of another
 * definition with --manifest, refuses bad options with exit 2, and Export gives the three forms.
 */
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runDesigner } from '../../src/hosts/cli/designer-command.js';
import { captureIO } from '../hosts-cli/support/harness.js';

const ROOT = join(import.meta.dirname, '../..');

/** Run the command until `use` is done with its URL, then stop it. */
async function withDesigner(args: string[], use: (url: URL) => Promise<void>): Promise<string> {
  const { io, stdout, stderr } = captureIO({ PATH: process.env.PATH }, { cwd: ROOT });
  const stop = new AbortController();
  const done = runDesigner(args, io, stop.signal);
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  while (!stdout.text().includes('Press Ctrl-C')) {
    if (exited) throw new Error(`the designer exited: ${stderr.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const url = new URL(/Designer: (\S+)/.exec(stdout.text())?.[1] ?? '');
  try {
    await use(url);
  } finally {
    stop.abort();
    expect(await done).toBe(0);
  }
  return stdout.text();
}

function api(url: URL, path: string, body?: unknown): Promise<Response> {
  const token = url.searchParams.get('token') ?? '';
  return fetch(new URL(path, url.origin), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-designer-token': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('lambda-stream designer', () => {
  it('prints the URL with its token and where Test requests go, and stops on the signal', async () => {
    const out = await withDesigner(['--port', '0'], async (url) => {
      expect((await api(url, '/api/model')).status).toBe(200);
    });
    expect(out).toMatch(/^Designer: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/);
    expect(out).toMatch(
      /Test requests go to the local emulator at http:\/\/127\.0\.0\.1:\d+ \(functions: echo, fails/,
    );
    expect(out).toContain('Designer stopped.');
  });

  it('serves the form of another definition with --manifest', async () => {
    await withDesigner(['--manifest', 'definitions/invoke.manifest.json'], async (url) => {
      const model = (await (await api(url, '/api/model')).json()) as {
        name: string;
        operation: { pathTemplate: string };
      };
      expect(model.operation.pathTemplate).toBe('/2015-03-31/functions/{FunctionName}/invocations');
      expect(model.name).toBe('AWS Lambda: invoke');
    });
  });

  it('exports the task input without defaults, the runner task, and the generic HTTP task with its note', async () => {
    await withDesigner([], async (url) => {
      const task = {
        path: { FunctionName: 'tokens' },
        query: { Qualifier: 'prod' },
        headers: { 'Content-Type': 'application/json', 'X-Amz-Log-Type': 'Tail' },
        body: { Payload: { count: 3 } },
        settings: { outputMode: 'aggregated', timeouts: { totalMs: 120000 } },
      };
      const res = await api(url, '/api/export', { task, lastTotalMs: 812.4 });
      expect(res.status).toBe(200);
      const exported = (await res.json()) as Record<string, Record<string, unknown>> & { note: string };
      const chosen = {
        path: { FunctionName: 'tokens' },
        query: { Qualifier: 'prod' },
        headers: { 'X-Amz-Log-Type': 'Tail' },
        body: { Payload: { count: 3 } },
        settings: { timeouts: { totalMs: 120000 } },
      };
      expect(exported.taskInput).toEqual(chosen);
      expect(exported.workflowTask).toEqual({ type: 'lambda-stream', inputParameters: chosen, end: true });
      expect(exported.httpTask).toMatchObject({
        type: 'HTTP',
        inputParameters: {
          httpRequest: {
            method: 'POST',
            connectionTimeOut: 10000,
            readTimeOut: 120000,
            credentials: { ref: 'aws-sigv4:lambda' },
          },
        },
        workflowInput: { FunctionName: 'tokens', Qualifier: 'prod', Payload: { count: 3 } },
      });
      const http = (exported.httpTask as { inputParameters: { httpRequest: { url: string } } })
        .inputParameters.httpRequest;
      expect(http.url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/2021-11-15\/functions\/\$\{workflow\.input\.FunctionName\}\/response-streaming-invocations\?Qualifier=\$\{workflow\.input\.Qualifier\}$/,
      );
      expect(exported.note).toMatch(/SigV4.*event stream.*120000 ms.*the last Test request took 812 ms\./s);

      const invalid = await api(url, '/api/export', { task: { path: { FunctionName: 'bad name!' } } });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { issues: Array<{ path: string }> }).issues[0]?.path).toBe(
        'path.FunctionName',
      );
    });
  });

  it('refuses unknown options and a bad port with exit 2, before listening', async () => {
    for (const args of [['--port', 'x'], ['--port', '70000'], ['--nope']]) {
      const { io, stderr, stdout } = captureIO({}, { cwd: ROOT });
      expect(await runDesigner(args, io, new AbortController().signal)).toBe(2);
      expect(stderr.text()).toMatch(/^lambda-stream designer: INVALID_INPUT: /);
      expect(stdout.text()).toBe('');
    }
  });

  it('prints its help', async () => {
    const { io, stdout } = captureIO({}, { cwd: ROOT });
    expect(await runDesigner(['--help'], io, new AbortController().signal)).toBe(0);
    expect(stdout.text()).toContain(
      'Usage: lambda-stream designer [--manifest FILE] [--port N] [--host HOST]',
    );
  });
});
