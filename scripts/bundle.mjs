#!/usr/bin/env node
/**
 * The second step of `npm run build` (after tsc): bundles the package's two entry points,
 * `dist/index.js` (the library) and `dist/hosts/cli/bin.js` (the CLI), with esbuild, replacing tsc's
 * copies of those two files. Why: a cold start (`import()` + first `invoke()`) spent most of its
 * time loading ~60 of our ES modules one by one (and, before the task signed requests itself, the
 * CommonJS build of @smithy/signature-v4 with ~450 KB of @smithy/core); bundled, that is a few files.
 *
 * - Code splitting: code shared by the two entries lives once, in `dist/bundle-*.js` chunks, so the
 *   library has one error family, one secret registry and one default executor whichever entry
 *   loaded it. The emulator, workflow runner, Test request and CLI commands stay dynamic imports
 *   (their own chunks), loaded on first use as before.
 * - Chunks sit directly in `dist/`, like the files they replace: `packagePath()` finds the package
 *   root one folder above the module that computes it (checked below).
 * - Every other package stays external and is loaded from node_modules as before (ajv, ajv-formats,
 *   the optional peers bullmq, ioredis and @temporalio/activity,
 *   and esbuild only when needed, @aws-sdk/credential-provider-node only for the credential chain).
 * - Source maps are written next to each file, with the TypeScript sources embedded.
 * - tsc's per-file output stays in dist/ (with the .d.ts files the package's types come from), for
 *   tools that load one module of the build (bench/decoder.mjs); the package entry points do not.
 *
 *   node scripts/bundle.mjs
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Packages inlined into the bundle (none at the moment: every package stays external). */
const INLINED = new Set([]);

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies })
  .filter((name) => !INLINED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

// Chunks of an earlier build have other hashes: remove them so dist/ holds one build.
for (const file of await readdir(dist).catch(() => [])) {
  if (file.startsWith('bundle-')) await rm(join(dist, file));
}

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/index.ts',
    'hosts/cli/bin': 'src/hosts/cli/bin.ts',
    'emulator/index': 'src/emulator/index.ts',
    'hosts/workflow/index': 'src/hosts/workflow/index.ts',
    'hosts/bullmq/index': 'src/hosts/bullmq/index.ts',
    'hosts/temporal/index': 'src/hosts/temporal/index.ts',
  },
  outdir: 'dist',
  chunkNames: 'bundle-[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The ES build of an inlined package (`module`), so its unused exports are shaken out.
  mainFields: ['module', 'main'],
  conditions: ['module'],
  external,
  sourcemap: 'linked',
  sourcesContent: true,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

// packagePath() computes the package root as the folder above its own module: that module must be
// an output directly inside dist/, or the package would look for manifest.json in the wrong place.
const pathsOutput = Object.entries(result.metafile.outputs).find(([, output]) =>
  Object.keys(output.inputs).includes('src/paths.ts'),
);
if (pathsOutput === undefined || dirname(pathsOutput[0]) !== 'dist') {
  throw new Error(
    `bundle: src/paths.ts ended up in ${pathsOutput?.[0] ?? 'no output'}, not directly in dist/`,
  );
}

const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
const bytes = files.reduce((sum, f) => sum + result.metafile.outputs[f].bytes, 0);
process.stdout.write(
  `bundle: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${relative(root, dist)}/ ` +
    `(entries index.js, hosts/cli/bin.js, emulator/index.js, hosts/workflow/index.js, hosts/bullmq/index.js, hosts/temporal/index.js)\n`,
);

// The designer's page: React, JSON Forms and Ajv bundled for the browser into dist/designer/ (they are
// build-time dependencies only; the package ships the bundle). The options live with the code that
// also builds the page in memory in a checkout that has not been built.
const { pageBuildOptions } = await import('../dist/hosts/designer/page-assets.js');
const page = await build({ ...pageBuildOptions(root), write: true, metafile: true });
const pageBytes = Object.values(page.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
process.stdout.write(`bundle: designer page, ${(pageBytes / 1024).toFixed(0)} KiB in dist/designer/\n`);
