/**
 * TypeScript functions are compiled by the emulator (never inside an instance, which would start an
 * esbuild service per instance) with esbuild's `transform` into a content-addressed `.mjs` that
 * instances import. The cache folder is per user, created with mode 0700, and refused unless it is
 * a real folder owned by this user and closed to others: on a shared machine no one else can plant
 * code that an instance would import.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { extname, join } from 'node:path';

/** Where compiled TypeScript (and, from source, the instance entry) is cached: per user, under `base`. */
export function compileCacheDir(base: string = tmpdir()): string {
  return join(base, `lambda-stream-emulator-${userInfo().uid}`);
}

/** True for `.ts`, `.mts` and `.cts`. */
export function isTypeScript(file: string): boolean {
  const ext = extname(file);
  return ext === '.ts' || ext === '.mts' || ext === '.cts';
}

/**
 * The cache folder, created if needed and checked (owner, mode, not a link).
 * @example
 * const dir = await ensureCacheDir(); // /tmp/lambda-stream-emulator-1000
 */
export async function ensureCacheDir(dir: string = compileCacheDir()): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  const uid = userInfo().uid;
  if (!info.isDirectory() || (uid >= 0 && info.uid !== uid) || (info.mode & 0o077) !== 0) {
    throw new Error(
      `the compile cache ${dir} is not a folder of this user closed to others (mode 0700); remove it and retry`,
    );
  }
  return dir;
}

/**
 * Compile a TypeScript module into the cache; resolves with the `.mjs` path.
 * @example
 * const file = await compileTypeScript('/app/functions/tokens.ts');
 */
export async function compileTypeScript(file: string): Promise<string> {
  const source = await readFile(file, 'utf8');
  const key = createHash('sha256').update(file).update('\0').update(source).digest('hex').slice(0, 32);
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
  return writeCached(`${key}.mjs`, result.code);
}

/**
 * Write a file into the cache atomically (write, then rename: a concurrent reader never sees half).
 * @example
 * await writeCached('instance-abc.mjs', code)
 */
export async function writeCached(name: string, code: string): Promise<string> {
  const dir = await ensureCacheDir();
  const target = join(dir, name);
  const partial = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(partial, code, { mode: 0o600 });
  await rename(partial, target);
  return target;
}
