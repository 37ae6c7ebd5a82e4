/**
 * The script instances run. From the build it is tsc's own module `dist/emulator/instance-main.js`
 * (its imports are its sibling modules). From TypeScript source (the tests) there is no JavaScript
 * to start a worker from, so the entry is bundled once per process with esbuild into the per-user
 * compile cache, keyed by its content.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeCached } from './compile-typescript.js';
import { packageRoot, runsFromSource } from './package-root.js';

let pending: Promise<string> | undefined;

/**
 * The path of the instance entry script.
 * @example
 * new Worker(await instanceEntry(), { workerData })
 */
export function instanceEntry(): Promise<string> {
  pending ??= runsFromSource
    ? bundleFromSource()
    : Promise.resolve(join(packageRoot, 'dist', 'emulator', 'instance-main.js'));
  return pending;
}

async function bundleFromSource(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(packageRoot, 'src', 'emulator', 'instance-main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    sourcemap: 'inline',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const key = createHash('sha256').update(code).digest('hex').slice(0, 16);
  return writeCached(`instance-${key}.mjs`, code);
}
