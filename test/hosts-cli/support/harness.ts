/**
 * Helpers for CLI, Test request and workflow tests: captured CliIO, distinctive fake credentials
 * (so a leak is unmistakable), an isolated environment, and a server that counts requests (to prove
 * that nothing was sent).
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from '@jest/globals';
import type { CliIO } from '../../../src/hosts/cli/io.js';

/** Fake credentials with a session token; the emulator is told to accept the key pair. */
export const FAKE = {
  accessKeyId: 'AKIAFAKEKEYZZ9876543',
  secretAccessKey: 'fAkEsEcReT/kEy+9876543210abcdefghijklmnop',
  sessionToken: 'FQoGZXIvYXdzFAKESESSIONTOKEN0123456789zyxwvutsrq',
};

/** An empty HOME so no ~/.aws file can change what a test sees. */
const home = mkdtempSync(join(tmpdir(), 'lambda-stream-home-'));

/** Environment for a call to `url` with {@link FAKE} credentials and nothing from the real machine. */
export function envFor(url: string, credentials: typeof FAKE = FAKE): Record<string, string> {
  return {
    HOME: home,
    PATH: process.env.PATH ?? '',
    AWS_CONFIG_FILE: join(home, 'missing-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'missing-credentials'),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_LAMBDA: url,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  };
}

/** A writable that keeps everything written, in order. */
export class Capture extends Writable {
  readonly parts: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.parts.push(Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A CliIO with captured stdout/stderr. */
export function captureIO(
  env: Record<string, string | undefined>,
  options: { isTTY?: boolean; cwd?: string } = {},
) {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = {
    stdout,
    stderr,
    stdin: process.stdin,
    env,
    cwd: options.cwd ?? process.cwd(),
    isTTY: options.isTTY ?? false,
  };
  return { io, stdout, stderr };
}

/** Fails if any credential (beyond 4 key-id characters) or a signature appears in `text`. */
export function expectNoSecrets(text: string, extra: string[] = []): void {
  for (const secret of [
    FAKE.accessKeyId,
    FAKE.accessKeyId.slice(0, 8),
    FAKE.secretAccessKey,
    FAKE.sessionToken,
    ...extra,
  ]) {
    expect(text.includes(secret) ? `leaked ${secret.slice(0, 6)}…` : 'clean').toBe('clean');
  }
  expect(text).not.toMatch(/Signature=[0-9a-f]{8}/);
}

/** A server that answers 500 to everything and counts the requests it saw. */
export async function countingServer(): Promise<{
  url: string;
  count: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
