// The benchmark's Lambda stand-in: answers InvokeWithResponseStream from event streams encoded once at
// startup, so no request costs the server any encoding and the clients are what gets measured.
// It runs in its own process (the harness spawns it) and never verifies signatures: it only drains the body.
//
//   node bench/server.mjs [--quick]
// prints one JSON line on stdout: { port, scenarios: { <function name>: { payloadBytes, wireBytes, chunks } } }
// and serves until stdin closes or SIGTERM.

import { Buffer } from 'node:buffer';
import http from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { payloadBinary, payloadText } from './payloads.mjs';
import { scenarioSizes } from './scenarios.mjs';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

// Header order as in wire-format.md §3.6, so the self-check below can compare with its hex dump.
function encodeEvent(eventType, contentType, body) {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body,
  });
}

const encodePayloadChunk = (bytes) => encodeEvent('PayloadChunk', 'application/octet-stream', bytes);
const invokeComplete = Buffer.from(encodeEvent('InvokeComplete', 'application/json', fromUtf8('{}')));

// A codec upgrade that changed the bytes would silently change what every client is measured on.
function selfCheck() {
  const hello = Buffer.from(encodePayloadChunk(fromUtf8('Hello, ')));
  if (hello.length !== 113 || hello.readUInt32BE(109) !== 0x0f2bff8b) {
    throw new Error('PayloadChunk encoding differs from wire-format.md §3.6');
  }
  if (invokeComplete.length !== 102 || invokeComplete.readUInt32BE(98) !== 0x7006d467) {
    throw new Error('InvokeComplete encoding differs from wire-format.md §3.6');
  }
}

/** All PayloadChunk messages for `payloadBytes` split into `chunkBytes`, as one buffer (no InvokeComplete). */
function encodeChunks(payloadBytes, chunkBytes, kind = 'text') {
  const text = kind === 'binary' ? payloadBinary(payloadBytes) : payloadText(payloadBytes);
  const messages = [];
  for (let offset = 0; offset < payloadBytes; offset += chunkBytes) {
    messages.push(encodePayloadChunk(text.subarray(offset, Math.min(offset + chunkBytes, payloadBytes))));
  }
  return { body: Buffer.concat(messages), chunks: messages.length };
}

const quick = process.argv.includes('--quick');
const sizes = scenarioSizes(quick);

/**
 * Each scenario: `parts` is written in order; a number is a pause in ms. `repeat` writes the chunk
 * body several times (256 MiB without holding 256 MiB: messages are self-contained).
 */
function buildScenarios() {
  const bulk32k = encodeChunks(sizes.bulkBytes, 32 * 1024);
  const bulk1k = encodeChunks(sizes.bulkBytes, 1024);
  const binary32k = encodeChunks(sizes.bulkBytes, 32 * 1024, 'binary');
  const binary1k = encodeChunks(sizes.bulkBytes, 1024, 'binary');
  const small = encodeChunks(100, 100);
  const first = encodeChunks(100, 100);
  const rest = encodeChunks(900, 100);
  const hugeRepeat = Math.round(sizes.hugeBytes / sizes.bulkBytes);
  const scenarios = {
    'bench-bulk-32k': { parts: [bulk32k.body], payloadBytes: sizes.bulkBytes, chunks: bulk32k.chunks },
    'bench-bulk-1k': { parts: [bulk1k.body], payloadBytes: sizes.bulkBytes, chunks: bulk1k.chunks },
    'bench-binary-32k': { parts: [binary32k.body], payloadBytes: sizes.bulkBytes, chunks: binary32k.chunks },
    'bench-binary-1k': { parts: [binary1k.body], payloadBytes: sizes.bulkBytes, chunks: binary1k.chunks },
    'bench-small': { parts: [small.body], payloadBytes: 100, chunks: 1 },
    'bench-first-then-pause': {
      parts: [first.body, sizes.pauseAfterFirstMs, rest.body],
      payloadBytes: 1000,
      chunks: 1 + rest.chunks,
    },
    'bench-late-first-chunk': { parts: [sizes.lateFirstChunkMs, small.body], payloadBytes: 100, chunks: 1 },
    'bench-huge': {
      parts: Array.from({ length: hugeRepeat }, () => bulk32k.body),
      payloadBytes: sizes.bulkBytes * hugeRepeat,
      chunks: bulk32k.chunks * hugeRepeat,
    },
  };
  for (const s of Object.values(scenarios)) {
    s.parts.push(invokeComplete);
    s.wireBytes = s.parts.reduce((n, p) => n + (typeof p === 'number' ? 0 : p.length), 0);
  }
  return scenarios;
}

const SLICE = 256 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Both listeners go away whichever fires: a long stream waits for 'drain' thousands of times.
function drainOrClose(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeAll(res, buf) {
  for (let offset = 0; offset < buf.length; offset += SLICE) {
    if (!res.write(buf.subarray(offset, offset + SLICE))) {
      await drainOrClose(res);
      if (res.destroyed) return;
    }
  }
}

async function respond(res, scenario) {
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amz-executed-version': '$LATEST',
    'x-amzn-requestid': 'bench-0000-0000',
  });
  // Headers leave now, not with the first body write: the "late first chunk" scenario depends on it.
  res.flushHeaders();
  for (const part of scenario.parts) {
    if (res.destroyed) return;
    if (typeof part === 'number') await sleep(part);
    else await writeAll(res, part);
  }
  res.end();
}

const PATH = /^\/2021-11-15\/functions\/([^/?]+)\/response-streaming-invocations(?:\?|$)/;

function main() {
  selfCheck();
  const scenarios = buildScenarios();
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const match = PATH.exec(req.url ?? '');
    const scenario = match && req.method === 'POST' ? scenarios[decodeURIComponent(match[1])] : undefined;
    req.resume();
    req.on('end', () => {
      if (!scenario) {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        });
        res.end('{"Type":"User","Message":"no such bench scenario"}');
        return;
      }
      respond(res, scenario).catch(() => res.destroy());
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    const info = {};
    for (const [name, s] of Object.entries(scenarios)) {
      info[name] = { payloadBytes: s.payloadBytes, wireBytes: s.wireBytes, chunks: s.chunks };
    }
    process.stdout.write(`${JSON.stringify({ port, scenarios: info })}\n`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  // The harness holds our stdin open; when it goes away (even by a crash) so do we.
  process.stdin.resume();
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
}

main();
