/**
 * `startEmulator`: a local HTTP endpoint for Lambda `InvokeWithResponseStream` that runs the
 * functions of a folder and answers on the wire as the service does (wire-format.md).
 */
import { existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { InputError, type ValidationIssue } from '../index.js';
import { BodyBudget } from './body-budget.js';
import type { EmulatorState } from './emulator-state.js';
import { checkFaultSpec, FaultCounters, type FaultSpec } from './faults.js';
import { FunctionRegistry } from './function-registry.js';
import { handleRequest } from './handle-request.js';
import { installAwsLambdaGlobal } from './install-awslambda-global.js';
import { DEFAULT_ACCOUNT_CONCURRENCY, InstancePool } from './instance-pool.js';
import { packageRoot } from './package-root.js';
import { watchFunctions } from './watch-functions.js';

/** A key pair the emulator accepts signatures from. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1` (loopback only). */
  host?: string;
  /** The functions folder; default the sample `functions/` shipped with the package. */
  functionsDir?: string;
  /** Accepted signing keys; default `[{ accessKeyId: 'test', secretAccessKey: 'test' }]`. */
  credentials?: EmulatorCredentials[];
  /** Faults per function name, applied over the function's config file (the request header wins). */
  faults?: Record<string, FaultSpec>;
  /** Receives every function log line (START/END/REPORT included) and emulator warnings. */
  onLog?: (line: string) => void;
  /** The clock signatures are checked against (default `Date.now`). */
  now?: () => number;
  /** Watch the functions folder: an edited function gets fresh instances (default false). */
  watch?: boolean;
  /** The most instances busy at once across all functions (the account's concurrency; default 1000). */
  accountConcurrency?: number;
}

/** A running emulator. */
export interface EmulatorHandle {
  /** `http://host:port`, for `AWS_ENDPOINT_URL_LAMBDA` or an SDK's `endpoint`. */
  url: string;
  port: number;
  host: string;
  /** The functions found in the folder at startup. */
  functions: string[];
  /** Forget the counts of throttle and server-error faults. */
  resetFaults(): void;
  /** End open invocations and stop listening. */
  close(): Promise<void>;
}

/** A request (headers and body) must arrive within this: a slow sender cannot hold a body for long. */
const REQUEST_TIMEOUT_MS = 60_000;

export const DEFAULT_CREDENTIALS: readonly EmulatorCredentials[] = [
  { accessKeyId: 'test', secretAccessKey: 'test' },
];

/**
 * Start the emulator.
 * @example
 * const emulator = await startEmulator({ functionsDir: './functions' });
 * const client = new LambdaClient({ endpoint: emulator.url, region: 'us-east-1',
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 * // … InvokeWithResponseStreamCommand …
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const functionsDir = resolve(options.functionsDir ?? join(packageRoot, 'functions'));
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  checkOptions(port, host, functionsDir, credentials, options.faults ?? {});

  const warn = (message: string): void => options.onLog?.(`emulator: ${message}`);
  const registry = new FunctionRegistry(functionsDir, warn);
  try {
    await registry.scan(true);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw invalid('functionsDir', 'config', `a function config in ${functionsDir} is invalid: ${message}`);
  }

  const accountConcurrency = options.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY;
  if (!Number.isInteger(accountConcurrency) || accountConcurrency < 1) {
    throw invalid('accountConcurrency', 'minimum', 'accountConcurrency must be an integer of at least 1');
  }
  const pool = new InstancePool({ registry, accountConcurrency, onLog: options.onLog });
  const secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  const state: EmulatorState = {
    registry,
    pool,
    bodyBudget: new BodyBudget(),
    lookupSecret: (id) => secrets.get(id),
    faultsByFunction: { ...options.faults },
    counters: new FaultCounters(),
    now: options.now ?? Date.now,
    onLog: options.onLog,
    active: new Set(),
  };

  // Functions run in their own instances, where the runtime installs it; here it serves code that
  // marks handlers in the host (a test, a bundler's check) the way it would in Lambda.
  installAwsLambdaGlobal();
  const watcher = options.watch ? watchFunctions(registry, pool, warn) : undefined;
  const server = createServer({ keepAliveTimeout: 5000, requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    void handleRequest(state, req, res);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  try {
    await listen(server, port, host);
  } catch (error: unknown) {
    watcher?.close();
    pool.close();
    throw invalid('port', 'listen', `cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    functions: registry.names(),
    resetFaults: () => state.counters.reset(),
    close: () => {
      closing ??= new Promise<void>((done) => {
        watcher?.close();
        server.close(() => done());
        for (const invocation of [...state.active]) invocation.abort();
        pool.close();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
}

function invalid(field: string, keyword: string, message: string): InputError {
  const issue: ValidationIssue = { location: 'input', path: field, keyword, message };
  return new InputError('INVALID_INPUT', message, [issue]);
}

function checkOptions(
  port: number,
  host: string,
  functionsDir: string,
  credentials: readonly EmulatorCredentials[],
  faults: Record<string, FaultSpec>,
): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid('port', 'range', 'port must be an integer from 0 to 65535');
  }
  if (typeof host !== 'string' || host.length === 0)
    throw invalid('host', 'type', 'host must be a non-empty string');
  if (!existsSync(functionsDir) || !statSync(functionsDir).isDirectory()) {
    throw invalid('functionsDir', 'exists', `functionsDir ${functionsDir} is not a folder`);
  }
  if (!Array.isArray(credentials) || credentials.length === 0) {
    throw invalid(
      'credentials',
      'minItems',
      'credentials must be a non-empty array of { accessKeyId, secretAccessKey }',
    );
  }
  credentials.forEach((c, i) => {
    const ok =
      typeof c === 'object' &&
      c !== null &&
      typeof c.accessKeyId === 'string' &&
      c.accessKeyId.length > 0 &&
      typeof c.secretAccessKey === 'string' &&
      c.secretAccessKey.length > 0;
    if (!ok) {
      throw invalid(
        `credentials[${i}]`,
        'type',
        `credentials[${i}] must have a non-empty accessKeyId and secretAccessKey (strings)`,
      );
    }
  });
  for (const [name, spec] of Object.entries(faults)) {
    const problem = checkFaultSpec(spec, `faults.${name}`);
    if (problem !== undefined) throw invalid(`faults.${name}`, 'fault', problem);
  }
}
