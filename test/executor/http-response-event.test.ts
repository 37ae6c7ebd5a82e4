/**
 * What broke (issue 11, defect 9): in chunked mode the HTTP-integration prelude (the function's HTTP
 * status, headers and cookies) arrived only with `complete`, so a downstream step could not see them
 * until the stream ended. It is now its own `httpResponse` event, emitted in the read that completed
 * the prelude, before the first chunk; `complete.httpResponse` still carries it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { invokeStream, type OutputEvent } from '../../src/index.js';
import { FIXTURES } from '../emulator/helpers.js';
import { FAKE } from '../hosts-cli/support/harness.js';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({
    functionsDir: FIXTURES,
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
    // Each message after the first waits: the prelude's two writes and the body arrive in separate reads.
    faults: { 'http-stream': { delayBetweenChunksMs: 20 } },
  });
});
afterAll(async () => {
  await emulator.close();
});

function input(framing: 'chunk' | 'line') {
  return {
    path: { FunctionName: 'http-stream' },
    settings: { endpoint: emulator.url, region: 'us-east-1', outputMode: 'chunked' as const, framing },
  };
}

const prelude = { statusCode: 201, headers: { 'x-custom': 'yes' }, cookies: ['a=1'] };

describe('the httpResponse event', () => {
  it.each(['chunk', 'line'] as const)(
    'comes after start and before the first chunk (%s framing)',
    async (framing) => {
      const events: OutputEvent[] = [];
      for await (const event of invokeStream(input(framing), { credentials: FAKE, env: {} }))
        events.push(event);
      expect(events.map((e) => e.type)).toEqual(['start', 'httpResponse', 'chunk', 'complete']);
      expect(events[1]).toMatchObject({ type: 'httpResponse', httpResponse: prelude });
      expect(events[2]).toMatchObject({ type: 'chunk', data: 'created' });
      // The prelude is not a chunk: counts stay those of the payload.
      expect(events[3]).toMatchObject({ type: 'complete', chunks: 1, bytes: 7, httpResponse: prelude });
    },
  );

  it('is handed out before the body is read: a consumer can stop right after it', async () => {
    const seen: string[] = [];
    for await (const event of invokeStream(input('chunk'), { credentials: FAKE, env: {} })) {
      seen.push(event.type);
      if (event.type === 'httpResponse') break;
    }
    expect(seen).toEqual(['start', 'httpResponse']);
  });
});
