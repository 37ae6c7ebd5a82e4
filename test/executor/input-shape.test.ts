import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execute, invoke, invokeStream } from '../../src/execute.js';
import { isTaskError, testRequest, validateInput } from '../../src/index.js';
import { MAX_INPUT_DEPTH } from '../../src/validation/check-shape.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

// Issue 18, defects 10 and 11. An input 100,000 levels deep ended in "Maximum call stack size
// exceeded" (exit 3, and `test --json` printed no JSON), a cycle likewise, and a throwing getter
// escaped testRequest, which is documented never to throw. Bad input of any shape is an InputError.
// And `validate` passed `http://127.0.0.1:99999`, which the call then refused, echoing the userinfo.
let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  server.respond(streamResponse(eventStream(['ok'])));
});
afterAll(() => server.close());

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

function hostileInputs(): Array<[string, unknown, string]> {
  const cyclic: Record<string, unknown> = { note: 'x' };
  cyclic.self = cyclic;
  const getter = inputFor(server.url);
  Object.defineProperty(getter.settings!, 'region', {
    enumerable: true,
    get() {
      throw new Error('getter says no');
    },
  });
  const trap = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('trap says no');
      },
    },
  );
  return [
    [
      'settings nested 100,000 levels deep',
      inputFor(server.url, { settings: { limits: deep(100_000) as never } }),
      'maxDepth',
    ],
    [
      'a payload nested 100,000 levels deep',
      inputFor(server.url, { body: { Payload: deep(100_000) } }),
      'maxDepth',
    ],
    ['a cycle in the settings', inputFor(server.url, { settings: { retry: cyclic as never } }), 'cycle'],
    ['a cycle in the payload', inputFor(server.url, { body: { Payload: cyclic } }), 'cycle'],
    ['a throwing getter', getter, 'unreadable'],
    ['a proxy whose ownKeys trap throws', { ...inputFor(server.url), headers: trap }, 'unreadable'],
  ];
}

describe('inputs of any shape are InputErrors, before anything is sent', () => {
  it.each([0, 1, 2, 3, 4, 5])('case %i', async (index) => {
    // Built here, once the server's URL is known.
    const [, input, keyword] = hostileInputs()[index]!;
    const before = server.requests.length;
    const issues = validateInput(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ keyword });
    for (const call of [() => invoke(input, quietContext()), () => execute(input, quietContext())]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTaskError(error) && error.name).toBe('InputError');
    }
    await expect(collect(invokeStream(input, quietContext()))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const report = await testRequest(input, quietContext());
    expect(report.outcome).toBe('invalid-input');
    expect(JSON.parse(JSON.stringify(report)).issues[0].keyword).toBe(keyword);
    expect(server.requests.length).toBe(before);
  });

  it('accepts nesting up to the limit', () => {
    expect(validateInput(inputFor(server.url, { body: { Payload: deep(MAX_INPUT_DEPTH - 3) } }))).toEqual([]);
  });

  it('testRequest never throws, even for a getter that throws only on a later read', async () => {
    let reads = 0;
    const input = inputFor(server.url);
    Object.defineProperty(input, 'settings', {
      enumerable: true,
      get() {
        reads += 1;
        if (reads > 1) throw new Error('second read');
        return { region: 'us-east-1', endpoint: server.url };
      },
    });
    const report = await testRequest(input, quietContext());
    expect(['invalid-input', 'failed']).toContain(report.outcome);
    expect(JSON.stringify(report)).toContain('second read');
  });
});

describe('the endpoint is validated with the parser the call uses, and its userinfo is never shown', () => {
  it('refuses a port out of range in validate as in the call', async () => {
    const input = inputFor('http://127.0.0.1:99999');
    expect(validateInput(input)).toEqual([
      expect.objectContaining({ path: 'settings.endpoint', keyword: 'endpoint' }),
    ]);
    await expect(invoke(input, quietContext())).rejects.toMatchObject({ name: 'InputError' });
  });

  it('never repeats a user name or password, whether or not the URL parses', async () => {
    for (const endpoint of [
      'http://user:secretpass@127.0.0.1:99999',
      'http://user:secretpass@127.0.0.1:9001',
    ]) {
      const input = inputFor(endpoint);
      const [issue] = validateInput(input);
      expect(issue?.path).toBe('settings.endpoint');
      expect(issue?.message).not.toContain('secretpass');
      expect(issue?.message).not.toContain('alice');
      const error = await invoke(input, quietContext()).catch((e: unknown) => e as Error);
      expect(String((error as Error).message)).not.toContain('secretpass');
      const report = JSON.stringify(await testRequest(input, quietContext()));
      expect(report).not.toContain('secretpass');
    }
  });

  it('checks an endpoint from the environment with the same rules', async () => {
    const input = inputFor(server.url);
    delete input.settings!.endpoint;
    const env = { AWS_ENDPOINT_URL_LAMBDA: 'http://admin:hunter22@127.0.0.1:1' };
    const error = (await invoke(input, quietContext({ env })).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'INVALID_ENDPOINT' });
    expect(error.message).toContain('AWS_ENDPOINT_URL_LAMBDA');
    expect(error.message).not.toContain('hunter22');
  });
});
