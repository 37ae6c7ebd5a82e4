/**
 * The designer's server: the page, the definition's form model, validation, export and live Test
 * requests over Server-Sent Events, behind the request guard (token, Host, Origin). Loopback only
 * unless told otherwise.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorOptions } from '../../emulator/index.js';
import { type LoadedManifest, loadManifest, validateInput } from '../../index.js';
import { type Backend, chooseBackend } from './choose-backend.js';
import { exportTask } from './export-task.js';
import { formModel } from './form-model.js';
import { loadPageAssets, type PageAssets } from './page-assets.js';
import { PAGE_HTML, SECURITY_HEADERS } from './page-html.js';
import { cookieName, guardRequest } from './request-guard.js';
import { TestRuns } from './test-runs.js';

/** Options of {@link startDesigner}. */
export interface DesignerOptions {
  /** The definition: a manifest path or a loaded one (default: the package's). */
  manifest?: string | LoadedManifest;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1` (loopback only). */
  host?: string;
  /** The environment that picks the backend and configures calls; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Where relative `file://` payloads start, and the only folder they may come from; default the cwd. */
  cwd?: string;
  /** Options of the in-process emulator, when the designer runs one (its log lines, its functions). */
  emulator?: EmulatorOptions;
}

/** A running designer. */
export interface DesignerHandle {
  /** The URL to open, with the token. */
  url: string;
  port: number;
  host: string;
  /** Where Test requests go. */
  backend: Pick<Backend, 'kind' | 'description' | 'url'>;
  close(): Promise<void>;
}

/** Request bodies above this are refused (a payload is at most 6 MB, as text a little more). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra }).end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`The request body is over ${MAX_BODY_BYTES} bytes`);
    parts.push(part as Buffer);
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

/** The page never sends credentials; should one arrive anyway, it is dropped, not used. */
function withoutCredentials(input: unknown, setting: string): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { settings } = input as { settings?: unknown };
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return input;
  const { [setting]: _dropped, ...rest } = settings as Record<string, unknown>;
  return { ...input, settings: rest };
}

/**
 * Start the designer.
 * @example
 * const designer = await startDesigner({ port: 0 }); console.log(designer.url); // http://127.0.0.1:PORT/?token=…
 * await designer.close();
 */
export async function startDesigner(options: DesignerOptions = {}): Promise<DesignerHandle> {
  const manifest = typeof options.manifest === 'object' ? options.manifest : loadManifest(options.manifest);
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const assets: PageAssets = await loadPageAssets();
  const backend = await chooseBackend(manifest, env, options.emulator ?? {});
  const model = formModel(manifest, backend.description);
  const credentialsSetting = model.credentialsSetting;
  const runs = new TestRuns((input) => {
    const credentials = backend.credentialsFor(input);
    return { env: backend.env, cwd, payloadRoot: cwd, ...(credentials === undefined ? {} : { credentials }) };
  }, manifest);
  const token = randomBytes(24).toString('base64url');
  const host = options.host ?? '127.0.0.1';
  let port = 0;
  const regionEnv = manifest.definition.auth.region.env;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = guardRequest(req, { token, host, port });
    if (!verdict.ok) return send(res, 403, 'text/plain; charset=utf-8', `Forbidden: ${verdict.reason}\n`);
    const { pathname } = new URL(req.url ?? '/', 'http://designer');
    const method = req.method ?? 'GET';
    if (method === 'GET' && pathname === '/') {
      // The token moves from the URL to a cookie the page's requests carry (and no other site's).
      const cookie = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML, { 'set-cookie': cookie });
    }
    const asset = method === 'GET' ? assets.get(pathname) : undefined;
    if (asset) return send(res, 200, asset.type, asset.body);
    if (method === 'GET' && pathname === '/api/model') return sendJson(res, 200, model);
    const events = /^\/api\/runs\/([0-9a-f-]{36})\/(events|cancel)$/.exec(pathname);
    if (method === 'GET' && events?.[2] === 'events') return runs.stream(events[1] ?? '', res);
    if (method === 'POST' && events?.[2] === 'cancel') {
      return sendJson(res, runs.cancel(events[1] ?? '') ? 202 : 404, {});
    }
    if (method !== 'POST') return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    const input = withoutCredentials(await readJson(req), credentialsSetting);
    switch (pathname) {
      case '/api/validate':
        return sendJson(res, 200, { issues: validateInput(input, manifest) });
      case '/api/runs': {
        const id = runs.create(input);
        return id === undefined
          ? sendJson(res, 429, { error: 'Too many runs waiting' })
          : sendJson(res, 201, { id });
      }
      case '/api/export': {
        const { task, lastTotalMs } = (input ?? {}) as { task?: unknown; lastTotalMs?: unknown };
        const clean = withoutCredentials(task, credentialsSetting);
        const issues = validateInput(clean, manifest);
        if (issues.length > 0) return sendJson(res, 400, { issues });
        const region = regionEnv.map((name) => backend.env[name]).find(Boolean) ?? 'us-east-1';
        return sendJson(
          res,
          200,
          exportTask(manifest, clean as Record<string, unknown>, {
            region,
            ...(backend.kind === 'emulator' && backend.url !== undefined ? { endpoint: backend.url } : {}),
            ...(typeof lastTotalMs === 'number' ? { lastTotalMs } : {}),
          }),
        );
      }
      default:
        return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    host,
    backend: {
      kind: backend.kind,
      description: backend.description,
      ...(backend.url ? { url: backend.url } : {}),
    },
    async close() {
      runs.cancelAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
    },
  };
}
