// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow placeholders are literal ${...} strings
/**
 * The embedded runner keeps each step's output as an in-process value, so `outputEncoding: 'bytes'`
 * is allowed in `runWorkflow` (only the `lambda-stream workflow` command, which prints JSON, refuses
 * it): a script after a chunked step gets Uint8Array chunks, the step's own output keeps its text, and
 * an aggregated step's non-JSON payload is a Uint8Array for the next step.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { runWorkflow } from '../../src/hosts/workflow/index.js';
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

const options = () => ({
  baseDir: join(import.meta.dirname, 'fixtures'),
  context: { credentials: FAKE, env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: emulator.url } },
});

describe('runWorkflow with outputEncoding bytes', () => {
  it('hands a chunked step’s bytes to the next script and keeps the step’s text', async () => {
    const result = await runWorkflow(
      {
        startTask: 'Stream',
        tasks: {
          Stream: {
            type: 'lambda-stream',
            inputParameters: {
              path: { FunctionName: 'tokens' },
              body: { Payload: { count: 4, delayMs: 1 } },
              settings: { outputMode: 'chunked', outputEncoding: 'bytes' },
            },
            nextTask: 'Measure',
          },
          Measure: { type: 'script', module: './steps.mjs', export: 'measure', end: true },
        },
      },
      {},
      options(),
    );
    expect(result.output).toEqual({ bytes: 23, allBytes: true });
    expect(result.tasks.Stream?.output).toMatchObject({
      text: 'The quick model streams',
      textTruncated: false,
    });
  });

  it('passes an aggregated step’s non-JSON payload on as a Uint8Array', async () => {
    const result = await runWorkflow(
      {
        startTask: 'Tokens',
        tasks: {
          Tokens: {
            type: 'lambda-stream',
            inputParameters: {
              path: { FunctionName: 'tokens' },
              body: { Payload: { count: 2, delayMs: 0 } },
              settings: { outputEncoding: 'bytes' },
            },
            end: true,
          },
        },
      },
      {},
      options(),
    );
    const output = result.output as { payload: unknown; payloadEncoding: string };
    expect(output.payloadEncoding).toBe('bytes');
    expect(output.payload).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(output.payload as Uint8Array).toString()).toBe('The quick');
  });
});
