/**
 * The page's script and style sheet: the bundle `npm run build` writes to `dist/designer/` (what the
 * package ships), or, in a checkout that has not been built, the same bundle built in memory from
 * `src/hosts/designer/page/` with the same options.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packagePath } from '../../index.js';

/** The files the page loads, by URL path. */
export type PageAssets = ReadonlyMap<string, { type: string; body: Buffer }>;

/** Where the build writes the page, relative to the package root. */
export const PAGE_OUT_DIR = 'dist/designer';
/** The page's entry module, relative to the package root. */
export const PAGE_ENTRY = 'src/hosts/designer/page/main.tsx';

const TYPES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * esbuild options for the page bundle: React, JSON Forms and Ajv in one browser script, CSS beside it.
 * @example
 * await (await import('esbuild')).build({ ...pageBuildOptions(root), write: true })
 */
export function pageBuildOptions(root: string) {
  return {
    absWorkingDir: root,
    entryPoints: { app: PAGE_ENTRY },
    outdir: PAGE_OUT_DIR,
    bundle: true,
    format: 'iife' as const,
    platform: 'browser' as const,
    target: 'es2022',
    jsx: 'automatic' as const,
    minify: true,
    legalComments: 'linked' as const,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning' as const,
  };
}

async function buildInMemory(root: string): Promise<PageAssets> {
  const { build } = await import('esbuild');
  const result = await build({ ...pageBuildOptions(root), write: false, legalComments: 'none' });
  const out = new Map<string, { type: string; body: Buffer }>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const type = TYPES[name];
    if (type !== undefined) out.set(`/${name}`, { type, body: Buffer.from(file.contents) });
  }
  return out;
}

/**
 * Load the page's files.
 * @example
 * const assets = await loadPageAssets(); assets.get('/app.js')
 */
export async function loadPageAssets(root: string = packagePath()): Promise<PageAssets> {
  const built = join(root, PAGE_OUT_DIR);
  if (existsSync(join(built, 'app.js'))) {
    const out = new Map<string, { type: string; body: Buffer }>();
    for (const [name, type] of Object.entries(TYPES)) {
      out.set(`/${name}`, { type, body: await readFile(join(built, name)) });
    }
    return out;
  }
  if (existsSync(join(root, PAGE_ENTRY))) return buildInMemory(root);
  throw new Error(`The designer page is missing: run 'npm run build' (expected ${built}/app.js)`);
}
