/**
 * The embedded workflow runner: just enough of an engine to host the task the way workflow platforms
 * do, and to show both output modes flowing downstream. Tasks run one after another along the
 * `nextTask` chain, except that a step after a chunked `lambda-stream` step starts as soon as the
 * upstream call has started, and pulls the chunks (`input.chunks`) while the call is still streaming.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExecuteContext, Executor } from '../../index.js';
import { execute, FunctionError, isTaskError } from '../../index.js';
import { checkWorkflowDefinition, type WorkflowTaskDefinition } from './check-workflow-definition.js';
import { parseJsonPath, placeholderExpressions, resolvePlaceholders } from './resolve-placeholders.js';
import { StreamingStep } from './streaming-step.js';
import { taskErrorFromEvent } from './task-error-from-event.js';
import { WorkflowError } from './workflow-error.js';

const DEFAULT_MAX_TEXT = 1024 * 1024;

/** What a script task's function receives besides its input. */
export interface ScriptContext {
  /** The task's name in the workflow. */
  task: string;
  /** Aborted when the workflow fails or the host cancels it. */
  signal: AbortSignal;
  /** Write text to the runner's output (the CLI's standard output). */
  print(text: string): void;
}

/** A script task's function: `fn(input, context)`; the awaited return value is the task's output. */
export type ScriptFunction = (input: unknown, context: ScriptContext) => unknown;

/** Progress notifications, in the order things happen. */
export type WorkflowEvent =
  | { type: 'taskStarted'; task: string; taskType: WorkflowTaskDefinition['type'] }
  | { type: 'taskStreaming'; task: string }
  | { type: 'taskCompleted'; task: string }
  | { type: 'taskFailed'; task: string; error: unknown };

export interface RunWorkflowOptions {
  /** Where script modules are resolved from (the workflow file's folder); default the current directory. */
  baseDir?: string;
  /** Passed to every `lambda-stream` call (credentials, env, observer); its `signal` cancels the workflow. */
  context?: ExecuteContext;
  /**
   * Runs every `lambda-stream` call: `createExecutor({ manifest })` runs them with another definition
   * (default: the package's own executor and definition).
   */
  executor?: Pick<Executor, 'execute'>;
  /** Where `context.print` of script tasks writes; default standard output. */
  print?: (text: string) => void;
  onEvent?: (event: WorkflowEvent) => void;
  /** Cap on the text a chunked step collects for `tasks.NAME.output.text`; default 1 MiB. */
  maxCollectedTextBytes?: number;
}

/** What the workflow produced: the last task's output, and every task's output by name. */
export interface WorkflowResult {
  output: unknown;
  tasks: Record<string, { output: unknown }>;
  /** Task names in the order they ran. */
  order: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function loadScript(
  task: string,
  definition: WorkflowTaskDefinition,
  baseDir: string,
): Promise<ScriptFunction> {
  if (definition.type !== 'script') throw new Error('not a script task');
  const name = definition.export ?? 'default';
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(baseDir, definition.module)).href)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new WorkflowError(
      'WORKFLOW_INVALID',
      `tasks.${task}.module '${definition.module}' could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      { task },
      { cause: error },
    );
  }
  const fn = module[name];
  if (typeof fn !== 'function') {
    throw new WorkflowError(
      'WORKFLOW_INVALID',
      `tasks.${task}: module '${definition.module}' has no function export '${name}'`,
      {
        task,
      },
    );
  }
  return fn as ScriptFunction;
}

/**
 * Run a workflow definition with `input` as `$.workflow.input`.
 *
 * Definition errors reject with `WORKFLOW_INVALID` before anything runs; a failing step rejects with
 * `WORKFLOW_STEP_FAILED`, `task` set to the step and the step's error (a `TaskError` for
 * `lambda-stream` steps, a `FunctionError` when the function reported one) as `cause`.
 * @example
 * const result = await runWorkflow(JSON.parse(text), { prompt: 'hi' }, { baseDir: 'examples', context: { credentials } })
 * console.log(result.output)
 */
export async function runWorkflow(
  definition: unknown,
  input: unknown,
  options: RunWorkflowOptions = {},
): Promise<WorkflowResult> {
  const { definition: workflow, order } = checkWorkflowDefinition(definition);
  const baseDir = options.baseDir ?? process.cwd();
  const scripts = new Map<string, ScriptFunction>();
  for (const name of order) {
    const task = workflow.tasks[name]!;
    if (task.type === 'script') scripts.set(name, await loadScript(name, task, baseDir));
  }

  const controller = new AbortController();
  const hostSignal = options.context?.signal;
  const onHostAbort = (): void => controller.abort(hostSignal?.reason);
  if (hostSignal?.aborted) onHostAbort();
  hostSignal?.addEventListener('abort', onHostAbort, { once: true });
  const context: ExecuteContext = { ...options.context, signal: controller.signal };
  const executor = options.executor ?? { execute };
  const print = options.print ?? ((text: string) => void process.stdout.write(text));
  const emit = options.onEvent ?? (() => undefined);
  const outputs: Record<string, { output: unknown }> = {};
  const scope = { workflow: { input }, tasks: outputs };
  /** The chunked call whose chunks the current step receives. */
  let upstream: { task: string; step: StreamingStep } | undefined;

  const settleUpstream = async (): Promise<void> => {
    if (!upstream) return;
    const { task, step } = upstream;
    upstream = undefined;
    try {
      outputs[task] = { output: await step.finish() };
      emit({ type: 'taskCompleted', task });
    } catch (error) {
      throw stepFailed(task, error);
    }
  };
  const stepFailed = (task: string, error: unknown): WorkflowError => {
    emit({ type: 'taskFailed', task, error });
    if (error instanceof WorkflowError && error.task === task) return error;
    const detail = isTaskError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    return new WorkflowError(
      'WORKFLOW_STEP_FAILED',
      `Task '${task}' failed: ${detail}`,
      { task },
      { cause: error },
    );
  };

  try {
    for (const name of order) {
      const task = workflow.tasks[name]!;
      if (task.type === 'lambda-stream' || !upstream) await settleUpstream();
      emit({ type: 'taskStarted', task: name, taskType: task.type });

      if (task.type === 'script') {
        const streaming = upstream;
        if (streaming) {
          const reads = placeholderExpressions(task.inputParameters).some(
            (e) => parseJsonPath(e)[1] === streaming.task,
          );
          if (reads) {
            throw stepFailed(
              name,
              new WorkflowError(
                'WORKFLOW_INVALID',
                `tasks.${name}.inputParameters reads tasks.${streaming.task} while it is still streaming into '${name}': use input.chunks here, or read the output from a later task`,
                { task: name },
              ),
            );
          }
        }
        let taskInput: unknown;
        let output: unknown;
        try {
          taskInput = resolvePlaceholders(task.inputParameters, scope, `tasks.${name}.inputParameters`);
          if (streaming) {
            if (taskInput !== undefined && !isRecord(taskInput)) {
              throw new WorkflowError(
                'WORKFLOW_INVALID',
                `tasks.${name}.inputParameters must be an object to receive chunks`,
                {
                  task: name,
                },
              );
            }
            taskInput = { ...(taskInput ?? {}), chunks: streaming.step.chunks() };
          }
          output = await scripts.get(name)!(taskInput, { task: name, signal: controller.signal, print });
        } catch (error) {
          // The upstream's own failure explains a broken chunk iteration better than the script's rethrow.
          if (streaming) await settleUpstream();
          throw stepFailed(name, error);
        }
        await settleUpstream();
        outputs[name] = { output };
        emit({ type: 'taskCompleted', task: name });
        continue;
      }

      let taskInput: unknown;
      try {
        taskInput = resolvePlaceholders(task.inputParameters, scope, `tasks.${name}.inputParameters`);
        // The definition says which setting picks the output mode; execute() reads it.
        const output = await executor.execute(taskInput, context);
        if (output.mode === 'chunked') {
          const iterator = output.events[Symbol.asyncIterator]();
          const first = await iterator.next();
          if (first.done)
            throw new WorkflowError('WORKFLOW_STEP_FAILED', 'The call produced no events', { task: name });
          if (first.value.type === 'error') throw taskErrorFromEvent(first.value);
          upstream = {
            task: name,
            step: new StreamingStep(iterator, options.maxCollectedTextBytes ?? DEFAULT_MAX_TEXT),
          };
          emit({ type: 'taskStreaming', task: name });
          continue;
        }
        const result = output.result;
        if (result.functionError) {
          throw new FunctionError(
            result.functionError.errorCode,
            result.functionError.errorDetails,
            result.logResult,
          );
        }
        outputs[name] = { output: result };
      } catch (error) {
        throw stepFailed(name, error);
      }
      emit({ type: 'taskCompleted', task: name });
    }
    await settleUpstream();
  } catch (error) {
    controller.abort(error);
    await upstream?.step.cancel();
    throw error;
  } finally {
    hostSignal?.removeEventListener('abort', onHostAbort);
  }
  const last = order.at(-1)!;
  return { output: outputs[last]?.output, tasks: outputs, order };
}
