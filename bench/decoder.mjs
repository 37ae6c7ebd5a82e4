// Micro-benchmark of the event-stream decoding stage alone (no sockets): this package's framer +
// decoder (dist/eventstream) against the pipeline the AWS SDK uses (@smithy/core/event-streams
// getChunkedStream + EventStreamCodec.decode + :message-type dispatch), on 64 MiB of payload in
// 32 KiB and in 1 KiB PayloadChunk messages, delivered as 64 KiB reads like a socket's.
//
//   npm run build && node bench/decoder.mjs [--mib 64] [--reps 5] [--json FILE]
//
// Prints MiB/s of payload (median of the repetitions, min–max) and CPU ms per MiB. The full
// benchmark with HTTP, signing and the SDK is `npm run bench`; this one is for tuning the decoder.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { EventStreamCodec, getChunkedStream } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const es = await import(pathToFileURL(path.join(root, 'dist', 'eventstream', 'index.js')).href);
const { encodePayloadChunk } = await import(
  pathToFileURL(path.join(root, 'dist', 'emulator', 'encode-payload-chunk.js')).href
);
const { encodeInvokeComplete } = await import(
  pathToFileURL(path.join(root, 'dist', 'emulator', 'encode-invoke-complete.js')).href
);
const { loadManifest } = await import(
  pathToFileURL(path.join(root, 'dist', 'definition', 'load-manifest.js')).href
);
const LAMBDA_RESPONSE_EVENTS = loadManifest().plan.response.events;

const { values: args } = parseArgs({
  options: {
    mib: { type: 'string', default: '64' },
    reps: { type: 'string', default: '5' },
    json: { type: 'string' },
  },
});
const MIB = Number(args.mib);
const REPS = Number(args.reps);
const READ_BYTES = 64 * 1024;

/** One pre-encoded response: MIB of payload in `chunkBytes` messages, then InvokeComplete, cut into reads. */
function buildReads(chunkBytes) {
  const payload = Buffer.alloc(chunkBytes, 0x61);
  const count = Math.ceil((MIB * 1024 * 1024) / chunkBytes);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(encodePayloadChunk(payload));
  parts.push(encodeInvokeComplete({}));
  const body = Buffer.concat(parts);
  const reads = [];
  // Each read is its own buffer, as a socket delivers them.
  for (let at = 0; at < body.length; at += READ_BYTES)
    reads.push(Buffer.from(body.subarray(at, at + READ_BYTES)));
  return { reads, payloadBytes: count * chunkBytes, wireBytes: body.length };
}

async function* source(reads) {
  for (const read of reads) yield read;
}

const clients = {
  /** The floor: iterating the reads without touching their bytes (its MiB/s only shows the loop is free). */
  async raw(reads) {
    let bytes = 0;
    for await (const read of source(reads)) bytes += read.length;
    return bytes;
  },
  /** This package: decodeEvents (framing, both CRCs via zlib.crc32, dispatch) in one generator. */
  async ours(reads) {
    let bytes = 0;
    let complete = false;
    for await (const event of es.decodeEvents(source(reads), LAMBDA_RESPONSE_EVENTS)) {
      if (event.kind === 'chunk') bytes += event.payload.length;
      else complete = true;
    }
    if (!complete) throw new Error('no complete event');
    return bytes;
  },
  /** This package as two stages: frameMessages then decodeMessage (for comparison with the fused path). */
  async 'ours-staged'(reads) {
    let bytes = 0;
    for await (const frame of es.frameMessages(source(reads))) {
      const { headers, body } = es.decodeMessage(frame);
      if (headers[':event-type']?.value === 'PayloadChunk') bytes += body.length;
    }
    return bytes;
  },
  /** What the SDK does: getChunkedStream → EventStreamCodec.decode (JS CRC32) → dispatch. */
  async smithy(reads) {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    let bytes = 0;
    let complete = false;
    for await (const chunk of getChunkedStream(source(reads))) {
      const message = codec.decode(chunk);
      const type = message.headers[':message-type']?.value;
      if (type !== 'event') throw new Error(`unexpected ${type}`);
      const eventType = message.headers[':event-type']?.value;
      if (eventType === 'PayloadChunk') bytes += message.body.length;
      else if (eventType === 'InvokeComplete') complete = true;
    }
    if (!complete) throw new Error('no complete event');
    return bytes;
  },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const results = {};
console.log(
  `node ${process.version}, zlib.crc32 native: ${es.crc32IsNative}, ${MIB} MiB payload, ${READ_BYTES / 1024} KiB reads, ${REPS} reps`,
);
for (const chunkBytes of [32 * 1024, 1024]) {
  const { reads, payloadBytes, wireBytes } = buildReads(chunkBytes);
  const label = `${chunkBytes / 1024} KiB chunks`;
  results[label] = {};
  const names = Object.keys(clients);
  const samples = Object.fromEntries(names.map((n) => [n, { mibs: [], cpuMsPerMib: [] }]));
  for (let rep = 0; rep < REPS; rep++) {
    // Rotate the order every repetition so warm-up and GC pressure do not favour one client.
    const order = names.map((_, i) => names[(i + rep) % names.length]);
    for (const name of order) {
      globalThis.gc?.();
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      const bytes = await clients[name](reads);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpu);
      const expected = name === 'raw' ? wireBytes : payloadBytes;
      if (bytes !== expected) throw new Error(`${name} decoded ${bytes} bytes, expected ${expected}`);
      const mib = payloadBytes / 1048576;
      samples[name].mibs.push(mib / seconds);
      samples[name].cpuMsPerMib.push((used.user + used.system) / 1000 / mib);
    }
  }
  console.log(`\n${label} (${reads.length} reads, ${Math.round(wireBytes / 1048576)} MiB on the wire)`);
  console.log('client        MiB/s (median, min–max)      CPU ms/MiB   × smithy');
  const med = (n) => median(samples[n].mibs);
  for (const name of names) {
    const { mibs, cpuMsPerMib } = samples[name];
    const row = {
      mibPerSecond: Math.round(med(name)),
      min: Math.round(Math.min(...mibs)),
      max: Math.round(Math.max(...mibs)),
      cpuMsPerMib: Number(median(cpuMsPerMib).toFixed(2)),
      ofSmithy: Number((med(name) / med('smithy')).toFixed(2)),
    };
    results[label][name] = row;
    console.log(
      `${name.padEnd(13)} ${String(row.mibPerSecond).padStart(6)} (${row.min}–${row.max})`.padEnd(42) +
        `${String(row.cpuMsPerMib).padStart(8)}   ${row.ofSmithy.toFixed(2).padStart(8)}`,
    );
  }
}
if (args.json)
  writeFileSync(
    args.json,
    `${JSON.stringify({ node: process.version, mib: MIB, reps: REPS, results }, null, 2)}\n`,
  );
