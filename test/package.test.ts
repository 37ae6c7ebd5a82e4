/**
 * The package contract: what `npm pack` produces installs into an empty project, where the CLI runs,
 * the main export imports and typechecks, and the definition files resolve through the exports map.
 * Packs the current `dist/` (built by `npm test` before jest runs) without running scripts, so a
 * teammate's half-written source cannot break the pack step.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { packagePath } from '../src/paths.js';

const exec = promisify(execFile);
const NPM_TIMEOUT_MS = 300_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      timeout: NPM_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
    });
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(error),
    };
  }
}

const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  engines: { node: string };
  license: string;
};

let work: string;
let app: string;
let packedFiles: string[] = [];

beforeAll(async () => {
  if (!existsSync(packagePath('dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it before jest)');
  }
  work = mkdtempSync(join(tmpdir(), 'package-test-'));
  app = join(work, 'app');
  mkdirSync(app);
  const packed = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
    packagePath(),
  );
  if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error('npm pack printed no tarball');
  packedFiles = info.files.map((f) => f.path);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const installed = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', join(work, info.filename)],
    app,
  );
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed: ${installed.stderr}`);
}, NPM_TIMEOUT_MS * 2);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('package.json', () => {
  it('puts types first in the exports map and exposes the definition files', () => {
    const root = pkg.exports['.'] as Record<string, string>;
    expect(Object.keys(root)[0]).toBe('types');
    expect(pkg.exports['./manifest.json']).toBe('./manifest.json');
    expect(pkg.exports['./schemas/*']).toBe('./schemas/*');
    expect(pkg.bin['lambda-stream']).toBe('dist/hosts/cli/bin.js');
    expect(pkg.engines.node).toBeTruthy();
    expect(pkg.license).toBe('Apache-2.0');
  });
});

describe('the packed tarball', () => {
  it('ships the build, the definition and the license, and no sources or tests', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'manifest.json',
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/hosts/cli/bin.js',
        'dist/designer/app.js',
        'dist/designer/app.css',
        'schemas/manifest.schema.json',
        'schemas/task-input.schema.json',
        'schemas/headers.schema.json',
      ]),
    );
    expect(packedFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('runs `npx lambda-stream --help` once installed', async () => {
    const result = await run('npx', ['--no-install', 'lambda-stream', '--help'], app);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: lambda-stream <command>');
    expect(result.stdout).toContain('validate');
  });

  it('serves the designer page from the installed package (its browser bundle ships; React is not installed)', async () => {
    expect(existsSync(join(app, 'node_modules', 'react'))).toBe(false);
    // The installed bin itself (npx would take the signal and not hand it on).
    const child = spawn(join(app, 'node_modules', '.bin', 'lambda-stream'), ['designer', '--port', '0'], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: work },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let out = '';
    child.stdout.on('data', (part: Buffer) => {
      out += part.toString('utf8');
    });
    try {
      while (!out.includes('Press Ctrl-C')) await new Promise((resolve) => setTimeout(resolve, 20));
      const url = new URL(/Designer: (\S+)/.exec(out)?.[1] ?? '');
      const headers = { 'x-designer-token': url.searchParams.get('token') ?? '' };
      expect((await fetch(url)).status).toBe(200);
      const script = await fetch(new URL('/app.js', url.origin), { headers });
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await script.text()).length).toBeGreaterThan(100_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('imports the main export, which loads its own manifest and validates', async () => {
    const script = `
      const m = await import('lambda-stream-task');
      const manifest = m.loadManifest();
      const issues = m.validateInput({ path: { FunctionName: 'my-function' }, headers: { 'X-Amz-Log-Type': 'tail' } });
      console.log(JSON.stringify({ loadManifest: typeof m.loadManifest, op: manifest.operation.name, issues }));
    `;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], app);
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as {
      loadManifest: string;
      op: string;
      issues: { message: string }[];
    };
    expect(out.loadManifest).toBe('function');
    expect(out.op).toBe('InvokeWithResponseStream');
    expect(out.issues.map((i) => i.message)).toEqual(['headers.X-Amz-Log-Type must be one of Tail, None']);
  });

  it('resolves lambda-stream-task/manifest.json and lambda-stream-task/schemas/* through the exports map', async () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { fileURLToPath } from 'node:url';
      const read = (s) => JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(s)), 'utf8'));
      const manifest = read('lambda-stream-task/manifest.json');
      const headers = read('lambda-stream-task/schemas/headers.schema.json');
      const input = read('lambda-stream-task/schemas/task-input.schema.json');
      console.log(JSON.stringify({ id: manifest.id, headers: headers.title, input: input.title }));
    `;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], app);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      id: 'aws.lambda.invoke-with-response-stream',
      headers: 'HeaderParameters',
      input: 'TaskInput',
    });
  });

  it('typechecks a consumer against its types, and the types catch a wrong input', async () => {
    const tsconfig = {
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [packagePath('node_modules', '@types')],
      },
      files: ['good.ts'],
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(
      join(app, 'good.ts'),
      `import { loadManifest, validateInput, type AggregatedResult, type OutputEvent, type TaskInput } from 'lambda-stream-task';
const input: TaskInput = { path: { FunctionName: 'my-function' }, headers: { 'X-Amz-Log-Type': 'Tail' } };
const count: number = validateInput(input).length;
const name: string = loadManifest().operation.name;
function describe(e: OutputEvent): string { return e.type === 'chunk' ? (typeof e.data === 'string' ? e.data : \`\${e.data.byteLength} bytes\`) : e.type; }
const r: Pick<AggregatedResult, 'payloadEncoding'> = { payloadEncoding: 'json' };
export { count, name, describe, r };
`,
    );
    const tsc = packagePath('node_modules', '.bin', 'tsc');
    const good = await run(tsc, ['-p', 'tsconfig.json'], app);
    expect(good.stdout + good.stderr).toBe('');
    expect(good.code).toBe(0);

    writeFileSync(
      join(app, 'bad.ts'),
      `import type { TaskInput } from 'lambda-stream-task';
export const input: TaskInput = { path: { FunctionName: 'f' }, headers: { 'X-Amz-Log-Type': 'Verbose' } };
`,
    );
    writeFileSync(join(app, 'tsconfig.bad.json'), JSON.stringify({ ...tsconfig, files: ['bad.ts'] }));
    const bad = await run(tsc, ['-p', 'tsconfig.bad.json'], app);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('Verbose');
  });
});
