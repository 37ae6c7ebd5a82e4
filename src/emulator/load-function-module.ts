/**
 * Loads a function's module the way Lambda's Node runtime would run it: ES modules and CommonJS
 * through `import()` (CommonJS exports arrive as named exports or under `default`), TypeScript
 * compiled first with esbuild's `transform` into a content-addressed `.mjs` in the temp folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where compiled TypeScript functions are cached (keyed by source path and content). */
export const COMPILE_CACHE_DIR = join(tmpdir(), 'lambda-stream-emulator');

/** The loaded module's `handler` export, or why there is none (Lambda's `Runtime.*` error types). */
export type LoadedHandler =
  | { ok: true; handler: (...args: never[]) => unknown }
  | { ok: false; errorType: string; message: string };

/** Import `file` and find its `handler` export. */
export async function loadFunctionModule(file: string, functionName: string): Promise<LoadedHandler> {
  let namespace: Record<string, unknown>;
  try {
    const target = isTypeScript(file) ? await compileTypeScript(file) : file;
    namespace = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
  } catch (error: unknown) {
    const syntax = error instanceof SyntaxError || (error as { name?: unknown })?.name === 'TransformError';
    return {
      ok: false,
      errorType: syntax ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError',
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
  const fallback = namespace.default as Record<string, unknown> | undefined;
  const handler =
    namespace.handler ?? (typeof fallback === 'object' && fallback !== null ? fallback.handler : undefined);
  if (typeof handler !== 'function') {
    return {
      ok: false,
      errorType: 'Runtime.HandlerNotFound',
      message: `${functionName}.handler is undefined or not exported`,
    };
  }
  return { ok: true, handler: handler as (...args: never[]) => unknown };
}

function isTypeScript(file: string): boolean {
  const ext = extname(file);
  return ext === '.ts' || ext === '.mts' || ext === '.cts';
}

async function compileTypeScript(file: string): Promise<string> {
  const source = await readFile(file, 'utf8');
  const key = createHash('sha256').update(file).update('\0').update(source).digest('hex').slice(0, 32);
  const target = join(COMPILE_CACHE_DIR, `${key}.mjs`);
  // esbuild is loaded only when a TypeScript function is, so JS-only users never pay for it.
  const { transform } = await import('esbuild');
  const result = await transform(source, {
    loader: 'ts',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcefile: file,
    sourcemap: 'inline',
  });
  await mkdir(COMPILE_CACHE_DIR, { recursive: true });
  // Write then rename, so a concurrent load never imports a half-written file.
  const partial = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(partial, result.code);
  await rename(partial, target);
  return target;
}
