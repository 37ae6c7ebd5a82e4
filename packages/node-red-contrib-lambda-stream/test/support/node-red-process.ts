/**
 * A real Node-RED, as a user runs it: both packages packed with `npm pack`, installed with
 * `npm install` into a fresh user directory, and Node-RED started on loopback (port 0) with
 * telemetry and diagnostics off: Node-RED 4, or Node-RED 5 on Node >= 22.9 (see node-red-install.ts).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nodeRedHome, wantsNodeRed5 } from './node-red-install.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const WORKSPACE = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPO = join(WORKSPACE, '..', '..');

async function pack(cwd: string, destination: string, args: string[]): Promise<string> {
  const before = new Set(await readdir(destination));
  await run('npm', ['pack', '--pack-destination', destination, '--loglevel=error', ...args], {
    cwd,
    maxBuffer: 1 << 26,
  });
  const made = (await readdir(destination)).filter((f) => f.endsWith('.tgz') && !before.has(f));
  if (made.length !== 1) throw new Error(`npm pack in ${cwd} made ${made.join(', ') || 'nothing'}`);
  return join(destination, made[0] as string);
}

export interface NodeRed {
  url: string;
  userDir: string;
  version: string;
  /** Everything Node-RED printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Pack the core (its `dist/`) and this workspace (its generated `nodes/*.html`) as `npm run build`
 * left them, with scripts off: a pack that rebuilt would rewrite files that tests running beside
 * this one read. Install both tarballs into a new user directory, and start Node-RED there.
 */
export async function startNodeRed(): Promise<NodeRed> {
  const home = nodeRedHome(wantsNodeRed5() ? 5 : 4);
  const base = await mkdtemp(join(tmpdir(), 'nr-e2e-'));
  const userDir = join(base, 'user');
  await mkdir(userDir);
  const core = await pack(REPO, base, ['--ignore-scripts']);
  const nodes = await pack(WORKSPACE, base, ['--ignore-scripts']);
  await writeFile(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }));
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', core, nodes],
    {
      cwd: userDir,
      maxBuffer: 1 << 26,
    },
  );
  await writeFile(
    join(userDir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: 0,
  flowFile: 'flows.json',
  credentialSecret: 'node-red-e2e-credential-secret',
  diagnostics: { enabled: false, ui: false },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  editorTheme: { tours: false, projects: { enabled: false } },
  logging: { console: { level: 'info', metrics: false, audit: false } },
};\n`,
  );
  const child = spawn(
    process.execPath,
    [join(home, 'red.js'), '--userDir', userDir, '--settings', join(userDir, 'settings.js')],
    {
      cwd: userDir,
      env: { ...process.env, NODE_RED_ENABLE_PROJECTS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // Node-RED listens before it has loaded its flow file: a deploy in between races the initial
      // load (which can then replace the deployed flows: a 404 from an HTTP-in node). Ready is both.
      const match = /Server now running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match && output.indexOf('Started flows', match.index) >= 0) resolve(match[1] as string);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Node-RED exited (${code}) before listening:\n${output}`)));
  });
  const version = (require(join(home, 'package.json')) as { version: string }).version;
  return { url, userDir, version, output: () => output, stop: () => stop(child, base) };
}

/** Deploy a whole flow (nodes with their `credentials`) through the admin API, as the editor does. */
export async function deploy(red: NodeRed, flow: unknown[]): Promise<void> {
  const res = await fetch(`${red.url}/flows`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Node-RED-Deployment-Type': 'full',
      'Node-RED-API-Version': 'v1',
    },
    body: JSON.stringify(flow),
  });
  if (res.status !== 204 && res.status !== 200)
    throw new Error(`deploy: HTTP ${res.status} ${await res.text()}\n${red.output()}`);
}

async function stop(child: ChildProcess, base: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    // Node-RED closes its flows on SIGINT; should that ever hang, the test run must still end.
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(force);
  }
  await rm(base, { recursive: true, force: true });
}
