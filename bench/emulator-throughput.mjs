// The emulator's own throughput: 64 MiB streamed by the sample `large` function to a raw node:http
// client (event-stream bytes counted, not decoded), and 200 concurrent `tokens` calls.
// Usage: npm run build && node bench/emulator-throughput.mjs [--reps N]
// Prints the median MiB/s of N reps (default 5) and the wall time of the concurrent calls.
import { request } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { startEmulator } from '../dist/emulator/index.js';

const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 5;
const signer = new SignatureV4({
  service: 'lambda',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  sha256: Hash.bind(null, 'sha256'),
});

async function call(url, fn, payload) {
  const target = new URL(url);
  const body = JSON.stringify(payload);
  const path = `/2021-11-15/functions/${fn}/response-streaming-invocations`;
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path,
    query: {},
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers: signed.headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const emulator = await startEmulator();
try {
  await call(emulator.url, 'large', { mib: 1 });
  const rates = [];
  for (let i = 0; i < reps; i += 1) {
    const started = performance.now();
    const bytes = await call(emulator.url, 'large', { mib: 64 });
    const seconds = (performance.now() - started) / 1000;
    rates.push(bytes / 1048576 / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  console.log(
    `large 64 MiB: median ${median.toFixed(0)} MiB/s (${rates.map((r) => r.toFixed(0)).join(', ')})`,
  );
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, () => call(emulator.url, 'tokens', { count: 20, delayMs: 2 })),
  );
  console.log(`200 concurrent tokens calls: ${(performance.now() - started).toFixed(0)} ms`);
} finally {
  await emulator.close();
}
