/**
 * `watch`: an edit in the functions folder retires the instances of the function it belongs to
 * (`NAME.*`, `NAME.config.json`, anything under `NAME/`), so the next invocation starts a fresh
 * instance with the new code and config; an edit to any other file (a shared helper) retires all.
 * Events are gathered for a moment first: an editor's save is several events.
 */
import { type FSWatcher, watch } from 'node:fs';
import type { FunctionRegistry } from './function-registry.js';
import type { InstancePool } from './instance-pool.js';

const SETTLE_MS = 50;

/**
 * Start watching; `close()` stops.
 * @example
 * const watcher = watchFunctions(registry, pool, (line) => console.error(line));
 */
export function watchFunctions(
  registry: FunctionRegistry,
  pool: InstancePool,
  say: (message: string) => void,
): { close(): void } {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async (): Promise<void> => {
    timer = undefined;
    const paths = [...changed];
    changed.clear();
    await registry
      .scan(false)
      .catch((error: unknown) => say(`cannot read the functions folder: ${String(error)}`));
    const known = new Set(registry.names());
    const names = new Set(paths.map((path) => functionOf(path)));
    if ([...names].some((name) => !known.has(name))) {
      pool.retire();
      say(`reloaded all functions (${paths.join(', ')} changed)`);
      return;
    }
    for (const name of names) {
      pool.retire(name);
      say(`reloaded function ${name}`);
    }
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(registry.folder, { recursive: true, persistent: false }, (_event, file) => {
      if (file === null) return;
      changed.add(String(file));
      timer ??= setTimeout(() => void flush(), SETTLE_MS);
    });
    watcher.on('error', (error) => say(`watching stopped: ${error.message}`));
  } catch (error: unknown) {
    say(`cannot watch ${registry.folder}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    close: () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** The function a changed path belongs to: its first segment without the extensions. */
function functionOf(path: string): string {
  const first = path.split(/[\\/]/)[0] ?? path;
  return first.replace(/\.config\.json$/, '').replace(/\.(mjs|js|cjs|ts|mts|cts)$/, '');
}
