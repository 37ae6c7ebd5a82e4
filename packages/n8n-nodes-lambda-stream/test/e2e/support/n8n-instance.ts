/**
 * A real n8n 2.x for the end-to-end test: the pinned installation .ci/n8n.sh puts in
 * `<repo>/.cache/n8n`, run with Node ≥ 24 (process.execPath), its user folder in a temp dir, bound to
 * loopback, telemetry, version notifications, templates and every call home switched off.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const N8N_VERSION = '2.41.1';

/** The installed n8n's CLI, or an error that says how to install it. */
export function n8nBinary(repoRoot: string): string {
  const dir = join(repoRoot, '.cache', 'n8n', 'node_modules', 'n8n');
  const manifest = join(dir, 'package.json');
  const version = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
    : undefined;
  if (version !== N8N_VERSION) {
    throw new Error(
      `n8n ${N8N_VERSION} is not installed in .cache/n8n (found ${version ?? 'nothing'}): run .ci/n8n.sh with Node >= 24 on PATH first`,
    );
  }
  return join(dir, 'bin', 'n8n');
}

/** A free loopback port (asked of the OS, then released for n8n to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The environment of every n8n process of the test: nothing inherited but PATH; its home and its
 * temp dir (n8n keeps data-table uploads in os.tmpdir()) inside the test's folder.
 */
export function n8nEnvironment(options: {
  home: string;
  extensions: string;
  port: number;
  brokerPort: number;
}) {
  const temp = join(options.home, 'tmp');
  mkdirSync(temp, { recursive: true });
  return {
    PATH: process.env.PATH ?? '',
    HOME: options.home,
    TMPDIR: temp,
    N8N_USER_FOLDER: options.home,
    N8N_CUSTOM_EXTENSIONS: options.extensions,
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PORT: String(options.port),
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
    N8N_ENCRYPTION_KEY: 'n8n-nodes-lambda-stream-e2e',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
    N8N_VERIFIED_PACKAGES_ENABLED: 'false',
    N8N_PYTHON_ENABLED: 'false',
    // The MCP server registry refreshes from api.n8n.io at startup.
    N8N_DISABLED_MODULES: 'mcp-registry',
  };
}

export type N8nEnvironment = ReturnType<typeof n8nEnvironment>;

/** Runs one n8n CLI command to its end; its output is returned whatever the exit status. */
export async function runN8nCommand(
  binary: string,
  env: N8nEnvironment,
  args: string[],
): Promise<{ stdout: string; stderr: string; exitCode: number | null; signal: string | null }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [binary, ...args], {
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
    return { stdout, stderr, exitCode: 0, signal: null };
  } catch (error: unknown) {
    const e = error as { stdout?: string; stderr?: string; code?: number | null; signal?: string | null };
    return {
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
      exitCode: e.code ?? null,
      signal: e.signal ?? null,
    };
  }
}

/**
 * `n8n start`, resolved when it has activated the published workflows (it prints "Editor is now
 * accessible" after that; its readiness endpoint answers earlier, while webhooks still 404) and its
 * readiness endpoint answers; fails if it exits first.
 */
export async function startN8n(
  binary: string,
  env: N8nEnvironment,
): Promise<{ url: string; process: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, [binary, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const url = `http://127.0.0.1:${env.N8N_PORT}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`n8n start exited (${code ?? signal}) before it was ready:\n${log}`)),
    ),
  );
  const ready = (async () => {
    for (;;) {
      const ok = await fetch(`${url}/healthz/readiness`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  await Promise.race([ready, exited]);
  return { url, process: child, log: () => log };
}

/**
 * Waits until n8n has registered a production webhook. n8n 2.x activates published workflows in the
 * background after startup (its publication service), so a webhook may 404 for a while. A CORS
 * preflight asks n8n for the path's methods without running the workflow: 204 once it is
 * registered, 404 before.
 */
export async function waitForWebhook(baseUrl: string, path: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/webhook/${path}`, {
      method: 'OPTIONS',
      headers: { origin: baseUrl, 'access-control-request-method': 'POST' },
    }).catch(() => undefined);
    if (response?.ok === true) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`n8n did not register the webhook ${path} in 3 minutes:\n${log()}`);
}

/** Stops n8n: SIGTERM, then SIGKILL if it has not exited in 20 s. */
export async function stopN8n(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
