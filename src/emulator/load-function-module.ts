/**
 * Loads a function's module inside its instance the way Lambda's Node runtime does: ES modules and
 * CommonJS through `import()` (CommonJS exports arrive as named exports or under `default`); a
 * TypeScript function arrives already compiled by the emulator.
 */
import { pathToFileURL } from 'node:url';

/** The loaded module's `handler` export, or why there is none (Lambda's `Runtime.*` error types). */
export type LoadedHandler =
  | { ok: true; handler: (...args: never[]) => unknown }
  | { ok: false; errorType: string; message: string };

/**
 * Import `file` and find its `handler` export.
 * @example
 * const loaded = await loadFunctionModule('/app/functions/echo.mjs', 'echo');
 */
export async function loadFunctionModule(file: string, functionName: string): Promise<LoadedHandler> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error: unknown) {
    return importFailure(error);
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

/**
 * A module that cannot load, as the runtime names it: a syntax error or an import failure.
 * @example
 * importFailure(new SyntaxError('Unexpected token')) // { ok: false, errorType: 'Runtime.UserCodeSyntaxError', … }
 */
export function importFailure(error: unknown): LoadedHandler {
  const syntax = error instanceof SyntaxError || (error as { name?: unknown })?.name === 'TransformError';
  return {
    ok: false,
    errorType: syntax ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError',
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}
