// Issue 18's bad inputs for the bad-input matrix (part 4): special files as `file://` payloads, input
// nested beyond any stack, cycles, properties that throw when read, and endpoints the call cannot use
// or whose user name and password must never be repeated. Each is built on a valid input that already
// points at the counting server, so the matrix never has to read (and trip) a hostile property itself.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface HostileCase {
  field: string;
  kind: string;
  input: unknown;
  runtimeOnly?: boolean;
}

function deep(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/**
 * The cases, on `base()` (a fresh valid input each time) pointed at `url`; `dir` holds the named pipe.
 * @example
 * cases.push(...hostileInputCases(baseInput, url, workDir))
 */
export function hostileInputCases(
  base: () => Record<string, unknown>,
  url: string,
  dir: string,
): HostileCase[] {
  const fresh = (): Record<string, unknown> & {
    settings: Record<string, unknown>;
    body: Record<string, unknown>;
  } => {
    const input = JSON.parse(JSON.stringify(base())) as ReturnType<typeof fresh>;
    input.settings.endpoint = url;
    return input;
  };
  const with_ = (edit: (input: ReturnType<typeof fresh>) => void): ReturnType<typeof fresh> => {
    const input = fresh();
    edit(input);
    return input;
  };
  const fifo = join(dir, 'hostile-pipe');
  execFileSync('mkfifo', [fifo]);
  const kind = (what: string): string => `hostile: ${what}`;
  const cycle = (): Record<string, unknown> => {
    const node: Record<string, unknown> = { maxAttempts: 1 };
    node.self = node;
    return node;
  };
  return [
    {
      field: 'body.Payload',
      kind: kind('file:///dev/zero'),
      input: with_((i) => (i.body.Payload = 'file:///dev/zero')),
      runtimeOnly: true,
    },
    {
      field: 'body.Payload',
      kind: kind('file:// to /dev/urandom'),
      input: with_((i) => (i.body.Payload = 'file:///dev/urandom')),
      runtimeOnly: true,
    },
    {
      field: 'body.Payload',
      kind: kind('file:// to a named pipe'),
      input: with_((i) => (i.body.Payload = `file://${fifo}`)),
      runtimeOnly: true,
    },
    {
      field: 'settings.limits',
      kind: kind('settings 100,000 levels deep'),
      input: with_((i) => (i.settings.limits = deep(100_000))),
    },
    {
      field: 'body.Payload',
      kind: kind('payload 100,000 levels deep'),
      input: with_((i) => (i.body.Payload = deep(100_000))),
    },
    {
      field: 'settings.retry',
      kind: kind('a cycle in the settings'),
      input: with_((i) => (i.settings.retry = cycle())),
    },
    {
      field: 'body.Payload',
      kind: kind('a cycle in the payload'),
      input: with_((i) => (i.body.Payload = cycle())),
    },
    {
      field: 'settings.region',
      kind: kind('a getter that throws'),
      input: with_((i) =>
        Object.defineProperty(i.settings, 'region', {
          enumerable: true,
          get: () => {
            throw new Error('getter says no');
          },
        }),
      ),
    },
    {
      field: 'headers',
      kind: kind('a proxy whose ownKeys trap throws'),
      input: with_((i) => {
        i.headers = new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap says no');
            },
          },
        );
      }),
    },
    {
      field: 'settings.endpoint',
      kind: kind('endpoint port 99999'),
      input: with_((i) => (i.settings.endpoint = 'http://127.0.0.1:99999')),
    },
    {
      field: 'settings.endpoint',
      kind: kind('endpoint with a user name and password'),
      input: with_((i) => (i.settings.endpoint = `http://alice:secretpass@${new URL(url).host}`)),
    },
    {
      field: 'settings.endpoint',
      kind: kind('unparsable endpoint with a user name and password'),
      input: with_((i) => (i.settings.endpoint = 'http://alice:secretpass@127.0.0.1:99999')),
    },
  ];
}
