/** Shared pieces of the emulator tests: an SDK client aimed at the emulator and a stream reader. */
import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import {
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandInput,
  type InvokeWithResponseStreamCommandOutput,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { decodeMessage, frameMessages } from '../../src/eventstream/index.js';
import { packagePath } from '../../src/paths.js';

export const FIXTURES = packagePath(join('test', 'fixtures', 'functions'));

/** The official SDK, pointed at the emulator, no retries (so each answer is seen as sent). */
export function sdkClient(
  url: string,
  credentials = { accessKeyId: 'test', secretAccessKey: 'test' },
  region = 'us-east-1',
): LambdaClient {
  return new LambdaClient({ endpoint: url, region, credentials, maxAttempts: 1 });
}

export interface StreamResult {
  output: InvokeWithResponseStreamCommandOutput;
  chunks: Buffer[];
  text: string;
  complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | undefined;
  /** How many InvokeComplete events arrived (exactly one is right). */
  completes: number;
}

/** Invoke and read the whole event stream through the SDK. */
export async function invokeWithSdk(
  client: LambdaClient,
  input: InvokeWithResponseStreamCommandInput,
): Promise<StreamResult> {
  const output = await client.send(new InvokeWithResponseStreamCommand(input));
  const chunks: Buffer[] = [];
  let complete: StreamResult['complete'];
  let completes = 0;
  for await (const event of output.EventStream ?? []) {
    if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload));
    if (event.InvokeComplete) {
      completes += 1;
      complete = {};
      if (event.InvokeComplete.ErrorCode !== undefined) complete.ErrorCode = event.InvokeComplete.ErrorCode;
      if (event.InvokeComplete.ErrorDetails !== undefined)
        complete.ErrorDetails = event.InvokeComplete.ErrorDetails;
      if (event.InvokeComplete.LogResult !== undefined) complete.LogResult = event.InvokeComplete.LogResult;
    }
  }
  return { output, chunks, text: Buffer.concat(chunks).toString('utf8'), complete, completes };
}

/** JSON payload bytes. */
export function payload(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The error an awaited promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** A raw, unsigned HTTP request; resolves with status, headers and the whole body. */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${options.path}`,
      { method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Wait (without timing anything) until `check` holds, polling. */
export async function until(check: () => boolean, what: string, tries = 2000): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export interface SignedCall {
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  /** Signing time (default now). */
  signingDate?: Date;
}

/** Sign a request with the signing library (as an SDK would) and send it with node:http. */
export async function signedRequest(
  url: string,
  call: SignedCall,
): Promise<IncomingMessage & { request: ClientRequest }> {
  const target = new URL(url);
  const body = call.body ?? new Uint8Array();
  const signer = new SignatureV4({
    service: 'lambda',
    region: call.region ?? 'us-east-1',
    credentials: call.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: call.path,
      query: call.query ?? {},
      headers: { host: target.host, 'content-type': 'application/octet-stream', ...call.headers },
      body,
    },
    call.signingDate ? { signingDate: call.signingDate } : {},
  );
  const search = Object.entries(call.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${call.path}${search ? `?${search}` : ''}`,
      { method: 'POST', headers: signed.headers as Record<string, string> },
      (res) => resolve(Object.assign(res, { request: req })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The path of the streaming operation for a (raw, unencoded) function name. */
export function invokePath(functionName: string): string {
  return `/2021-11-15/functions/${encodeURIComponent(functionName)}/response-streaming-invocations`;
}

export interface DecodedStream {
  events: Array<{ type: string; headers: Record<string, string>; body: Buffer }>;
  /** The error that ended reading, if the stream was corrupt, truncated or cut. */
  error?: Error & { code?: string };
}

/** Read a response body through the project's framer and decoder (CRCs checked). */
export async function decodeResponse(res: IncomingMessage): Promise<DecodedStream> {
  const out: DecodedStream = { events: [] };
  try {
    for await (const frame of frameMessages(res)) {
      const message = decodeMessage(frame);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers)) headers[name] = String(value.value);
      out.events.push({
        type: headers[':event-type'] ?? headers[':message-type'] ?? '?',
        headers,
        body: Buffer.from(message.body),
      });
    }
  } catch (error: unknown) {
    out.error = error as Error & { code?: string };
  }
  return out;
}

/** The whole body of a response as text. */
export async function readText(res: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of res) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
