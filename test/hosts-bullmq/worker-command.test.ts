// `lambda-stream worker` options: bad ones are named and rejected before anything connects; the
// command starts, says it is ready and drains when stopped. And the subpath's export list.
import { describe, expect, it } from '@jest/globals';
import * as bullmqApi from '../../src/hosts/bullmq/index.js';
import { runWorker } from '../../src/hosts/cli/worker-command.js';
import { captureIO } from '../hosts-cli/support/harness.js';
import { startRedisServer } from '../support/redis-server.js';

async function run(args: string[], stop = AbortSignal.abort()) {
  const { io, stdout, stderr } = captureIO({});
  const status = await runWorker(args, io, stop);
  return { status, out: stdout.text(), err: stderr.text() };
}

describe('lambda-stream worker', () => {
  it('lists what lambda-stream-task/bullmq exports', () => {
    expect(Object.keys(bullmqApi).sort()).toEqual(['createClient', 'startWorker']);
  });

  it('prints its help', async () => {
    const { status, out } = await run(['--help']);
    expect(status).toBe(0);
    expect(out).toContain('Usage: lambda-stream worker --redis URL --queue NAME');
  });

  it.each([
    [['--queue', 'q'], '--redis is required'],
    [['--redis', 'redis://127.0.0.1:1'], '--queue is required'],
    [['--redis', 'http://127.0.0.1:1', '--queue', 'q'], '--redis must be a redis:// or rediss:// URL'],
    [['--redis', 'redis://127.0.0.1:1', '--queue', 'a:b'], 'queue must be 1-200 letters'],
    [
      ['--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--concurrency', '0'],
      '--concurrency must be a positive integer',
    ],
    [['--redis', 'redis://127.0.0.1:1', '--queue', 'q', '--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j before connecting: %s', async (args, message) => {
    const { status, err } = await run(args);
    expect(status).toBe(2);
    expect(err).toContain('INVALID_INPUT');
    expect(err).toContain(message);
  });

  it('starts on a real Redis, says it is ready, and stops when told', async () => {
    const redis = await startRedisServer();
    try {
      const stop = new AbortController();
      const { io, stderr } = captureIO({});
      const done = runWorker(['--redis', redis.url, '--queue', 'cli', '--concurrency', '2'], io, stop.signal);
      while (!stderr.text().includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20));
      stop.abort();
      expect(await done).toBe(0);
      expect(stderr.text()).toMatch(
        /ready on queue cli \(concurrency 2[\s\S]*stopped \(0 completed, 0 failed\)/,
      );
    } finally {
      await redis.stop();
    }
  });
});
