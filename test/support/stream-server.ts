/**
 * A local event-stream server for the executor's tests: node:http on 127.0.0.1 port 0. It checks the
 * SigV4 signature of every request with the spec-based verifier (as the service does) and answers
 * with scripted responses: event streams written at any split, error answers, stalls.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Socket } from 'node:net';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { verifySignature } from '../../src/sigv4-verifier/verify-signature.js';

/** The test credentials every request must be signed with. */
export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDSTREAMTEST01',
  secretAccessKey: 'stream-server-secret-key-0123456789abcdef',
});

/** What the server saw of one request. */
export interface ReceivedRequest {
  method: string;
  /** The request target exactly as on the request line. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The spec-based verifier's verdict. */
  signatureOk: boolean;
  signatureError?: string;
}

/** Answers one request. `res` is a plain node:http response. */
export type Responder = (
  request: ReceivedRequest,
  res: ServerResponse,
  socket: Socket,
) => void | Promise<void>;

export interface StreamServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Responders used in order, one per request; the last one repeats. */
  respond(...responders: Responder[]): void;
  /** How many sockets have closed so far. */
  closedSockets(): number;
  /** Resolves when the server has seen `n` sockets close. */
  socketsClosed(n: number): Promise<void>;
  close(): Promise<void>;
}

export interface StreamServerOptions {
  /** The verifier's clock (default: now). */
  now?: () => Date;
  /** Skip the answer for requests whose signature fails (default: answer 403 InvalidSignatureException). */
  rejectBadSignatures?: boolean;
  /** Serve https with this key and certificate. */
  tls?: { key: string; cert: string };
  /** The signing name the credential scope must carry (default `lambda`). */
  service?: string;
  /** The error type header of the 403 for a bad signature (default `x-amzn-errortype`). */
  errorTypeHeader?: string;
}

/**
 * Start the server.
 * @example
 * const server = await startStreamServer(); server.respond(streamResponse([encodePayloadChunk(bytes)]));
 */
export async function startStreamServer(options: StreamServerOptions = {}): Promise<StreamServer> {
  const requests: ReceivedRequest[] = [];
  let responders: Responder[] = [];
  let served = 0;
  let closedSockets = 0;
  const closeWaiters: Array<{ n: number; resolve: () => void }> = [];
  const sockets = new Set<Socket>();

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const verdict = verifySignature(
        { method: req.method ?? '', rawUrl: req.url ?? '', headers: req.headers, body },
        {
          lookupSecret: (id) =>
            id === TEST_CREDENTIALS.accessKeyId ? TEST_CREDENTIALS.secretAccessKey : undefined,
          now: options.now?.() ?? new Date(),
          ...(options.service === undefined ? {} : { service: options.service }),
        },
      );
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        signatureOk: verdict.ok,
        ...(verdict.ok ? {} : { signatureError: verdict.message }),
      };
      requests.push(received);
      if (!verdict.ok && options.rejectBadSignatures !== false) {
        res.writeHead(403, {
          date: (options.now?.() ?? new Date()).toUTCString(),
          'content-type': 'application/json',
          [options.errorTypeHeader ?? 'x-amzn-errortype']: verdict.errorType,
          'x-amzn-requestid': `req-${requests.length}`,
        });
        res.end(JSON.stringify({ message: verdict.message }));
        return;
      }
      const responder = responders[Math.min(served, responders.length - 1)];
      served++;
      if (responder === undefined) {
        res.writeHead(500);
        res.end('no responder');
        return;
      }
      Promise.resolve(responder(received, res, req.socket)).catch(() => res.destroy());
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closedSockets++;
      for (const w of closeWaiters.splice(0)) {
        if (closedSockets >= w.n) w.resolve();
        else closeWaiters.push(w);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    port: address.port,
    requests,
    respond(...next) {
      responders = next;
      served = 0;
    },
    closedSockets: () => closedSockets,
    socketsClosed(n) {
      if (closedSockets >= n) return Promise.resolve();
      return new Promise((resolve) => closeWaiters.push({ n, resolve }));
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headers of a successful streaming answer. */
export function streamHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amz-executed-version': '$LATEST',
    'x-amzn-requestid': 'stream-request-1',
    ...extra,
  };
}

/** The bytes of an event stream: one PayloadChunk per payload, then InvokeComplete (unless `complete` is null). */
export function eventStream(
  payloads: Array<Uint8Array | string>,
  complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } | null = {},
): Buffer {
  const parts = payloads.map((p) => encodePayloadChunk(typeof p === 'string' ? Buffer.from(p) : p));
  if (complete !== null) parts.push(encodeInvokeComplete(complete));
  return Buffer.concat(parts);
}

/** Write `bytes` in pieces of `size`, waiting a macrotask between writes so each is its own TCP read. */
export async function writeInPieces(res: ServerResponse, bytes: Uint8Array, size: number): Promise<void> {
  for (let at = 0; at < bytes.byteLength; at += size) {
    if (res.destroyed) return;
    const ok = res.write(bytes.subarray(at, at + size));
    if (!ok) await new Promise((resolve) => res.once('drain', resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A responder that sends a whole event stream, optionally in pieces. */
export function streamResponse(
  bytes: Uint8Array,
  options: { pieceSize?: number; headers?: Record<string, string>; end?: boolean } = {},
): Responder {
  return async (_req, res) => {
    res.writeHead(200, streamHeaders(options.headers));
    if (options.pieceSize !== undefined) await writeInPieces(res, bytes, options.pieceSize);
    else res.write(bytes);
    if (options.end !== false) res.end();
  };
}

/** A responder that answers an AWS JSON error. */
export function errorResponse(
  status: number,
  errorType: string,
  message: string,
  headers: Record<string, string> = {},
): Responder {
  return (_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazonaws.awslambda/`,
      'x-amzn-requestid': `error-${status}`,
      ...headers,
    });
    res.end(JSON.stringify({ Type: 'User', message }));
  };
}
