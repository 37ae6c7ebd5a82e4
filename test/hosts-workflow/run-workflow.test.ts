// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow placeholders are literal ${...} strings
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import { FunctionError, ServiceError } from '../../src/errors.js';
import { runWorkflow, type WorkflowEvent } from '../../src/hosts/workflow/run-workflow.js';
import { WorkflowError } from '../../src/hosts/workflow/workflow-error.js';
import type { ExecuteContext } from '../../src/index.js';
import { countingServer, FAKE } from '../hosts-cli/support/harness.js';

const baseDir = join(import.meta.dirname, 'fixtures');
const shared = globalThis as { __workflowLog?: string[] };
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  shared.__workflowLog = [];
});

function context(url = emulator.url): ExecuteContext {
  return {
    credentials: FAKE,
    env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: url },
    observer: { onMessage: (m) => shared.__workflowLog?.push(`wire:${m.eventType}`) },
  };
}

const tokens = (extra: Record<string, unknown> = {}) => ({
  type: 'lambda-stream',
  inputParameters: {
    path: { FunctionName: 'tokens' },
    body: {
      Payload: { prompt: '${$.workflow.input.prompt}', count: '${$.workflow.input.count}', delayMs: 5 },
    },
    settings: { outputMode: 'chunked' },
  },
  ...extra,
});

describe('runWorkflow', () => {
  it('streams chunks into the next step while the upstream call is still streaming', async () => {
    const events: string[] = [];
    const printed: string[] = [];
    const result = await runWorkflow(
      {
        startTask: 'Stream',
        tasks: {
          Stream: tokens({ nextTask: 'Collect' }),
          Collect: {
            type: 'script',
            module: './steps.mjs',
            export: 'collect',
            inputParameters: { label: 'L' },
            nextTask: 'Echo',
          },
          Echo: {
            type: 'lambda-stream',
            inputParameters: {
              path: { FunctionName: 'echo' },
              body: {
                Payload: {
                  text: '${$.tasks.Collect.output.text}',
                  chunks: '${$.tasks.Stream.output.chunks}',
                },
              },
            },
            end: true,
          },
        },
      },
      { prompt: '', count: 6 },
      {
        baseDir,
        context: context(),
        print: (t) => printed.push(t),
        onEvent: (e: WorkflowEvent) => {
          events.push(`${e.type}:${e.task}`);
          shared.__workflowLog?.push(`${e.type}:${e.task}`);
        },
      },
    );
    const log = shared.__workflowLog ?? [];
    // The proof of overlap is ordering, not timing: the script had its first chunk before the
    // executor decoded InvokeComplete, and before the runner marked the upstream step complete.
    const firstChunk = log.indexOf('script:first-chunk');
    expect(firstChunk).toBeGreaterThanOrEqual(0);
    expect(firstChunk).toBeLessThan(log.indexOf('wire:InvokeComplete'));
    expect(firstChunk).toBeLessThan(log.indexOf('taskCompleted:Stream'));
    expect(
      log.slice(0, log.indexOf('wire:InvokeComplete')).filter((e) => e === 'wire:PayloadChunk'),
    ).toHaveLength(6);
    expect(events.slice(0, 3)).toEqual(['taskStarted:Stream', 'taskStreaming:Stream', 'taskStarted:Collect']);

    const text = 'The quick model streams tokens as';
    expect(printed.join('')).toBe(text);
    expect(result.order).toEqual(['Stream', 'Collect', 'Echo']);
    expect(result.tasks.Collect?.output).toEqual({ text, count: 6, label: 'L' });
    expect(result.tasks.Stream?.output).toMatchObject({
      statusCode: 200,
      chunks: 6,
      text,
      textTruncated: false,
    });
    // A whole-string placeholder kept the number's type through to the echoed payload.
    expect(result.output).toMatchObject({ payloadEncoding: 'json', payload: { text, chunks: 6 } });
  });

  it('drains a chunked step whose consumer stops early, and passes typed values between scripts', async () => {
    const result = await runWorkflow(
      {
        startTask: 'Stream',
        tasks: {
          Stream: tokens({ nextTask: 'One' }),
          One: { type: 'script', module: './steps.mjs', export: 'takeOne', nextTask: 'Shout' },
          Shout: {
            type: 'script',
            module: './steps.mjs',
            export: 'shout',
            inputParameters: {
              text: 'first=${$.tasks.One.output.first}',
              n: '${$.tasks.Stream.output.chunks}',
            },
            end: true,
          },
        },
      },
      { prompt: '', count: 4 },
      { baseDir, context: context(), print: () => undefined },
    );
    expect(result.tasks.One?.output).toEqual({ first: 'The' });
    expect(result.tasks.Stream?.output).toMatchObject({ chunks: 4, text: 'The quick model streams' });
    expect(result.output).toEqual({ loud: 'FIRST=THE', n: 4 });
  });

  it('fails the workflow with the step name and the TaskError as cause', async () => {
    const run = runWorkflow(
      {
        startTask: 'Missing',
        tasks: {
          Missing: { type: 'lambda-stream', inputParameters: { path: { FunctionName: 'nope' } }, end: true },
        },
      },
      {},
      { context: context() },
    );
    await expect(run).rejects.toBeInstanceOf(WorkflowError);
    const error = (await run.catch((e: unknown) => e)) as WorkflowError;
    expect(error).toMatchObject({ code: 'WORKFLOW_STEP_FAILED', task: 'Missing' });
    expect(error.cause).toBeInstanceOf(ServiceError);
    expect((error.cause as ServiceError).statusCode).toBe(404);
  });

  it('fails with a FunctionError when the function reports one, chunked or aggregated', async () => {
    for (const outputMode of ['chunked', 'aggregated']) {
      const error = (await runWorkflow(
        {
          startTask: 'Fail',
          tasks: {
            Fail: {
              type: 'lambda-stream',
              inputParameters: {
                path: { FunctionName: 'fails' },
                body: { Payload: { message: 'bad' } },
                settings: { outputMode },
              },
              nextTask: 'After',
            },
            After: { type: 'script', module: './steps.mjs', export: 'takeOne', end: true },
          },
        },
        {},
        { baseDir, context: context(), print: () => undefined },
      ).catch((e: unknown) => e)) as WorkflowError;
      expect(error).toMatchObject({ code: 'WORKFLOW_STEP_FAILED', task: 'Fail' });
      expect(error.cause).toBeInstanceOf(FunctionError);
      expect((error.cause as FunctionError).errorDetails).toContain('bad');
    }
  });

  it('fails with the script step and its own error when a script throws', async () => {
    const error = (await runWorkflow(
      {
        startTask: 'Boom',
        tasks: { Boom: { type: 'script', module: './steps.mjs', export: 'explode', end: true } },
      },
      {},
      { baseDir },
    ).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toMatchObject({
      code: 'WORKFLOW_STEP_FAILED',
      task: 'Boom',
      message: "Task 'Boom' failed: script went wrong",
    });
    expect((error.cause as Error).message).toBe('script went wrong');
  });

  it('rejects a broken definition or script export before sending anything', async () => {
    const server = await countingServer();
    try {
      const definition = {
        startTask: 'Call',
        tasks: {
          Call: {
            type: 'lambda-stream',
            inputParameters: { path: { FunctionName: 'echo' } },
            nextTask: 'Bad',
          },
          Bad: { type: 'script', module: './steps.mjs', export: 'notAFunction', end: true },
        },
      };
      const error = (await runWorkflow(definition, {}, { baseDir, context: context(server.url) }).catch(
        (e: unknown) => e,
      )) as WorkflowError;
      expect(error).toMatchObject({ code: 'WORKFLOW_INVALID', task: 'Bad' });
      expect(error.message).toContain("has no function export 'notAFunction'");
      const cycle = (await runWorkflow(
        { startTask: 'A', tasks: { A: { ...definition.tasks.Call, nextTask: 'A' } } },
        {},
        { context: context(server.url) },
      ).catch((e: unknown) => e)) as WorkflowError;
      expect(cycle.code).toBe('WORKFLOW_INVALID');
      expect(cycle.issues[0]?.keyword).toBe('cycle');
      expect(server.count()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses to let a step read the output of the step still streaming into it', async () => {
    const error = (await runWorkflow(
      {
        startTask: 'Stream',
        tasks: {
          Stream: tokens({ nextTask: 'Peek' }),
          Peek: {
            type: 'script',
            module: './steps.mjs',
            export: 'shout',
            inputParameters: { text: '${$.tasks.Stream.output.text}' },
            end: true,
          },
        },
      },
      { prompt: '', count: 2 },
      { baseDir, context: context() },
    ).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toMatchObject({ task: 'Peek' });
    expect(error.message).toContain('still streaming');
  });
});
