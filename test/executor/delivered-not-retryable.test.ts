/**
 * What broke (issue 11, defect 5): in chunked mode STREAM_INCOMPLETE, STREAM_CHECKSUM and
 * STREAM_TRUNCATED after chunks had been delivered said `retryable: true` (STREAM_INTERRUPTED said
 * false), so a host honouring the flag delivered those chunks twice. Once anything went downstream the
 * failure is not retryable; its code and `chunksDelivered` still say what happened.
 */
import { describe, expect, it } from '@jest/globals';
import { type FaultSpec, startEmulator } from '../../src/emulator/index.js';
import { execute, invokeStream, type OutputEvent } from '../../src/index.js';
import { FAKE } from '../hosts-cli/support/harness.js';

/** Run `body` against an emulator whose `tokens` function has `fault`. */
async function withFault(fault: FaultSpec, body: (url: string) => Promise<void>): Promise<void> {
  const emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
    faults: { tokens: fault },
  });
  try {
    await body(emulator.url);
  } finally {
    await emulator.close();
  }
}

function input(url: string, outputMode: 'chunked' | 'aggregated') {
  return {
    path: { FunctionName: 'tokens' },
    body: { Payload: { count: 5, delayMs: 1 } },
    settings: { endpoint: url, region: 'us-east-1', outputMode, retry: { maxAttempts: 1 } },
  };
}

const context = { credentials: FAKE, env: {} };

describe('retryable after delivery', () => {
  it.each([
    ['STREAM_INCOMPLETE', { omitComplete: true }, 5],
    ['STREAM_CHECKSUM', { corruptChunk: 3 }, 2],
    ['STREAM_TRUNCATED', { truncateMessage: 3 }, 2],
    ['STREAM_INTERRUPTED', { dropAfterChunks: 3 }, 3],
  ])('%s after chunks went downstream is not retryable', async (code, fault, delivered) => {
    await withFault(fault, async (url) => {
      const events: OutputEvent[] = [];
      for await (const event of invokeStream(input(url, 'chunked'), context)) events.push(event);
      expect(events.filter((e) => e.type === 'chunk')).toHaveLength(delivered);
      expect(events[events.length - 1]).toMatchObject({
        type: 'error',
        code,
        chunksDelivered: delivered,
        retryable: false,
      });
    });
  });

  it('a failure before any chunk went downstream keeps its retry class (aggregated mode)', async () => {
    await withFault({ omitComplete: true }, async (url) => {
      await expect(execute(input(url, 'aggregated'), context)).rejects.toMatchObject({
        code: 'STREAM_INCOMPLETE',
        retryable: true,
      });
    });
  });
});
