/**
 * Shared by the drift tests of the two generators (types and precompiled validators): run a
 * generator script as `npm run typegen` does, and make scratch copies of `schemas/` to edit.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packagePath } from '../../src/paths.js';

const run = promisify(execFile);

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `scripts/<name>` with `args` from the package root; a non-zero exit is a result, not a throw. */
export async function runGeneratorScript(name: string, ...args: string[]): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [packagePath('scripts', name), ...args], {
      cwd: packagePath(),
    });
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A scratch folder; `copySchemas(name)` puts a fresh copy of `schemas/` in it; `remove()` deletes it all. */
export function schemaScratch(prefix: string): {
  dir: string;
  copySchemas(name: string): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    copySchemas(name: string): string {
      const target = join(dir, name);
      cpSync(packagePath('schemas'), target, { recursive: true });
      return target;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
