import { loadManifest } from '../definition/load-manifest.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import type { AggregatedResult } from '../generated/output-aggregated.js';
import type { OutputEvent } from '../generated/output-event.js';
import { flattenBatches } from '../output/flatten-batches.js';
import { ClockOffsets } from '../signing/clock-skew.js';
import { defaultAgentPool } from '../transport/agent-pool.js';
import { aggregate } from './aggregate.js';
import { CredentialSources } from './credential-sources.js';
import { type OpenDependencies, openResponse } from './open-response.js';
import { prepareCall } from './prepare-call.js';
import { streamBatches } from './stream-batches.js';
import type { ExecuteContext, ExecuteOutput, Executor, ExecutorOptions } from './types.js';

/** The output mode an input asks for, read before validation (which the chosen path runs). */
function requestedMode(input: unknown, setting: string): unknown {
  try {
    const settings = (input as { settings?: unknown } | null | undefined)?.settings;
    return settings !== null && typeof settings === 'object'
      ? (settings as Record<string, unknown>)[setting]
      : undefined;
  } catch {
    // A getter that throws: validation reports the input as unreadable, as an InputError.
    return undefined;
  }
}

/**
 * Create an executor with its own credential cache and clock offsets, for one definition (the
 * package's by default). The module-level `execute`, `invoke` and `invokeStream` use a shared default.
 * Each call: prepare (validate, resolve, build) → open the response (sign, send, retry) → read the
 * payload batches (event stream or plain body) → aggregate, or stream the events.
 * @example
 * const executor = createExecutor({ manifest: 'definitions/invoke.manifest.json' })
 * const result = await executor.invoke({ path: { FunctionName: 'fn' } }, { signal })
 */
export function createExecutor(options: ExecutorOptions = {}): Executor {
  const deps: OpenDependencies = { pool: options.pool ?? defaultAgentPool, clocks: new ClockOffsets() };
  const sources = new CredentialSources();
  let loaded: LoadedManifest | undefined;
  const manifest = (): LoadedManifest => {
    loaded ??= typeof options.manifest === 'object' ? options.manifest : loadManifest(options.manifest);
    return loaded;
  };

  async function invoke(input: unknown, context: ExecuteContext = {}): Promise<AggregatedResult> {
    const call = await prepareCall(manifest(), input, context, sources);
    return aggregate(call, await openResponse(call, deps));
  }

  function batches(input: unknown, context: ExecuteContext): AsyncGenerator<OutputEvent[], void> {
    // Input errors throw from the first next(): nothing has been sent.
    return streamBatches(() => prepareCall(manifest(), input, context, sources), deps);
  }

  function invokeStream(input: unknown, context: ExecuteContext = {}): AsyncGenerator<OutputEvent, void> {
    return flattenBatches(batches(input, context));
  }

  async function execute(input: unknown, context: ExecuteContext = {}): Promise<ExecuteOutput> {
    const { plan } = manifest();
    const mode = requestedMode(input, plan.settingNames.outputMode) ?? plan.defaultOutputMode;
    if (mode === 'chunked') {
      const stream = batches(input, context);
      // Surface input errors from execute() itself, as in aggregated mode.
      const first = await stream.next();
      return { mode: 'chunked', events: flattenBatches(stream, first.done ? [] : first.value) };
    }
    return { mode: 'aggregated', result: await invoke(input, context) };
  }

  return {
    get manifest() {
      return manifest();
    },
    execute,
    invoke,
    invokeStream,
  };
}
