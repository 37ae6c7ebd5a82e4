#!/usr/bin/env node
/**
 * Builds dist/ as n8n loads it: one CommonJS file per node and credential (n8n `require`s them),
 * with lambda-stream-task and everything it loads bundled in, and n8n-workflow left to n8n.
 *
 * Why bundle: n8n's rule for verified community nodes is that a package has no runtime
 * dependencies, so package.json lists none (n8n-workflow is a peer dependency). The core is an ES
 * module package that finds its definition files next to itself and loads a few CommonJS modules
 * through `createRequire`; in the bundle:
 * - `import.meta.url` is the URL of `core/dist/index.js` beside the node file, and the core's
 *   `manifest.json` and `schemas/` are copied to `core/`, so the core reads them where it expects;
 * - `createRequire()` of the core gets a table of the modules it asks for by name, bundled here
 *   (an id outside the table is an error that says so; only other definitions need one).
 *
 *   node scripts/build.mjs
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const coreRoot = dirname(require.resolve('lambda-stream-task/package.json'));

/** The modules the core loads with createRequire(), by the id it passes. */
const REQUIRED_BY_NAME = [
  'ajv',
  'ajv-formats',
  'ajv/dist/compile/codegen',
  'ajv/dist/compile/names',
  'ajv/dist/runtime/ucs2length',
  'ajv-formats/dist/formats',
];

// A module the core's build asks for by name that the table lacks would fail only at run time in
// n8n: fail the build instead. (The core's bundle calls its createRequire() results require…("id").)
const asked = new Set();
for (const file of readdirSync(join(coreRoot, 'dist')).filter((name) => name.endsWith('.js'))) {
  const code = readFileSync(join(coreRoot, 'dist', file), 'utf8');
  for (const [, id] of code.matchAll(/\brequire(?:Cjs|Module)\d*\("([^"]+)"\)/g)) asked.add(id);
}
const missing = [...asked].filter((id) => !REQUIRED_BY_NAME.includes(id));
if (missing.length > 0) {
  throw new Error(`build: the core requires ${missing.join(', ')} by name; add them to REQUIRED_BY_NAME`);
}

const staticRequire = `
const table = { ${REQUIRED_BY_NAME.map((id) => `${JSON.stringify(id)}: () => require(${JSON.stringify(id)})`).join(', ')} };
export function createRequire() {
  return (id) => {
    const load = table[id];
    if (load === undefined) {
      throw new Error('n8n-nodes-lambda-stream bundles the packaged definition only; ' + id + ' is not in its bundle');
    }
    return load();
  };
}`;

/** Resolves the core's `node:module` import to the table above; every other importer gets Node's. */
const staticRequirePlugin = {
  name: 'static-require',
  setup(b) {
    b.onResolve({ filter: /^node:module$/ }, (args) =>
      args.importer.startsWith(coreRoot) && !args.importer.includes('node_modules')
        ? { path: 'static-require', namespace: 'static-require' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'static-require' }, () => ({
      contents: staticRequire,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

rmSync(dist, { recursive: true, force: true });

const entries = {
  'nodes/LambdaStream/LambdaStream.node': 'src/nodes/LambdaStream/LambdaStream.node.ts',
  'credentials/LambdaStreamAwsApi.credentials': 'src/credentials/LambdaStreamAwsApi.credentials.ts',
};
const result = await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['n8n-workflow'],
  plugins: [staticRequirePlugin],
  define: { 'import.meta.url': '__coreModuleUrl' },
  banner: {
    js: 'const __coreModuleUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "core", "dist", "index.js")).href;',
  },
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

// One icon for the node and the credential: n8n resolves `file:lambda-stream.svg` beside each file.
for (const entry of Object.keys(entries)) {
  cpSync(
    join(root, 'src', 'nodes', 'LambdaStream', 'lambda-stream.svg'),
    join(dist, dirname(entry), 'lambda-stream.svg'),
  );
}
// The core's definition, where the bundled core looks for it (see import.meta.url above).
const core = join(dist, 'nodes', 'LambdaStream', 'core');
mkdirSync(join(core, 'dist'), { recursive: true });
cpSync(join(coreRoot, 'manifest.json'), join(core, 'manifest.json'));
cpSync(join(coreRoot, 'schemas'), join(core, 'schemas'), { recursive: true });
cpSync(join(coreRoot, 'LICENSE'), join(core, 'LICENSE'));

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const version = JSON.parse(readFileSync(join(coreRoot, 'package.json'), 'utf8')).version;
for (const [file, output] of outputs) {
  process.stdout.write(
    `build: ${relative(root, join(root, file))} ${(output.bytes / 1024).toFixed(0)} KiB\n`,
  );
}
process.stdout.write(
  `build: lambda-stream-task ${version} bundled, its definition in ${relative(root, core)}/\n`,
);
