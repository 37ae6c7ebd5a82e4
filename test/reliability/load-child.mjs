// The load run of issue 6, part 6, as its own process against the built package (dist/): it starts
// the emulator, makes TOTAL invocations with CONCURRENCY in flight (mixed sizes, both output modes),
// checks every chunk against the generator's deterministic content, prints one JSON line of figures
// and then simply returns. It never calls process.exit: if a socket, server or timer were left
// behind, the process would not end, and the parent test fails on its bound.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../dist/emulator/index.js';
import { createExecutor } from '../../dist/index.js';
import { expectedChunks } from '../fixtures/reliability-functions/lib/chunks.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const TOTAL = Number(process.env.LOAD_TOTAL ?? 200);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);
const SEED = Number(process.env.LOAD_SEED ?? 42);
const CREDENTIALS = {
  accessKeyId: 'AKIALOADTESTKEY00042',
  secretAccessKey: 'load/secret/key/for/reliability',
};

function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(SEED);
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

/** Tiny to ~1 MiB, in a fixed seeded mix. */
function plan(index) {
  const r = random();
  let sizes;
  let size;
  if (r < 0.4) {
    size = 'tiny';
    sizes = [between(1, 64)];
  } else if (r < 0.7) {
    size = 'small';
    sizes = Array.from({ length: between(1, 8) }, () => between(16, 512));
  } else if (r < 0.9) {
    size = 'medium';
    sizes = Array.from({ length: between(4, 16) }, () => between(4096, 16384));
  } else {
    size = 'large';
    sizes = Array.from({ length: 16 }, () => 65536);
  }
  return {
    index,
    size,
    mode: random() < 0.5 ? 'chunked' : 'aggregated',
    event: { seed: SEED * 100_000 + index, sizes },
  };
}

const calls = Array.from({ length: TOTAL }, (_, i) => plan(i));
const figures = {
  total: TOTAL,
  concurrency: CONCURRENCY,
  seed: SEED,
  ok: 0,
  failed: 0,
  lostChunks: 0,
  duplicatedChunks: 0,
  reorderedChunks: 0,
  wrongBytes: 0,
  bytes: 0,
  chunks: 0,
  bySize: {},
  byMode: {},
  maxInFlight: 0,
  peakRssBytes: 0,
  errors: [],
};

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const emulator = await startEmulator({
  functionsDir: join(here, '..', 'fixtures', 'reliability-functions'),
  credentials: [CREDENTIALS],
});
const executor = createExecutor();
const env = {
  AWS_REGION: 'us-east-1',
  HOME: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
};

function checkChunks(call, delivered) {
  const expected = expectedChunks(call.event);
  const seen = new Set();
  let last = -1;
  for (const chunk of delivered) {
    // Each chunk carries its own index at its start: `<seed:index>`.
    const index = Number(/^<\d+:(\d+)>/.exec(chunk)?.[1] ?? -1);
    if (seen.has(index)) figures.duplicatedChunks += 1;
    if (index < last) figures.reorderedChunks += 1;
    if (index >= 0 && chunk !== expected[index]) figures.wrongBytes += 1;
    seen.add(index);
    last = Math.max(last, index);
  }
  const lost = expected.length - seen.size;
  if (lost > 0) figures.lostChunks += lost;
  return lost === 0 && delivered.length === expected.length && delivered.every((c, i) => c === expected[i]);
}

let inFlight = 0;
async function run(call) {
  inFlight += 1;
  figures.maxInFlight = Math.max(figures.maxInFlight, inFlight);
  const input = {
    path: { FunctionName: 'gen' },
    body: { Payload: call.event },
    settings: { endpoint: emulator.url, region: 'us-east-1', outputMode: call.mode },
  };
  const context = { credentials: CREDENTIALS, env };
  let good = false;
  try {
    if (call.mode === 'aggregated') {
      const result = await executor.invoke(input, context);
      const expected = expectedChunks(call.event);
      good = result.payload === expected.join('') && result.chunks === expected.length;
      if (!good) figures.wrongBytes += 1;
      figures.bytes += result.bytes;
      figures.chunks += result.chunks;
    } else {
      const delivered = [];
      let completed = false;
      let seq = 0;
      for await (const event of executor.invokeStream(input, context)) {
        if (event.type === 'chunk') {
          if (event.seq !== seq) figures.reorderedChunks += 1;
          seq += 1;
          delivered.push(event.data);
          figures.bytes += event.size;
          figures.chunks += 1;
        } else if (event.type === 'complete') completed = true;
        else if (event.type === 'error') figures.errors.push(`${call.index}: ${event.code} ${event.message}`);
      }
      good = checkChunks(call, delivered) && completed;
    }
  } catch (error) {
    figures.errors.push(`${call.index}: ${error?.code ?? ''} ${error?.message ?? String(error)}`);
  }
  inFlight -= 1;
  if (good) figures.ok += 1;
  else figures.failed += 1;
  const key = `${call.size}`;
  figures.bySize[key] = (figures.bySize[key] ?? 0) + 1;
  figures.byMode[call.mode] = (figures.byMode[call.mode] ?? 0) + 1;
}

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < calls.length) {
      const call = calls[next];
      next += 1;
      await run(call);
    }
  }),
);
figures.durationMs = Math.round(performance.now() - started);
clearInterval(sampler);
figures.peakRssBytes = Math.max(peak, process.memoryUsage().rss);
figures.errors = figures.errors.slice(0, 20);
await emulator.close();
process.stdout.write(`${JSON.stringify(figures)}\n`);
// No process.exit(): the process must end on its own now.
