// One measurement in a fresh process: one client, one scenario. The harness (run.mjs) spawns this and
// reads the single JSON line it prints. Everything the client library needs is imported dynamically
// after the clock starts, so the cold-start scenario sees the real import cost.
//
//   node bench/client.mjs --client <raw|sdk|ours-chunked|ours-base64|ours-bytes|ours-aggregated> --scenario <id> --port <n>
//        --payload-bytes <n> --wire-bytes <n> [--quick]

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ENCODINGS, scenarioSizes, scenarios } from './scenarios.mjs';

const MiB = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    client: { type: 'string' },
    scenario: { type: 'string' },
    port: { type: 'string' },
    'payload-bytes': { type: 'string' },
    'wire-bytes': { type: 'string' },
    quick: { type: 'boolean', default: false },
    'cpu-prof-file': { type: 'string' },
  },
});

const scenario = scenarios(args.quick).find((s) => s.id === args.scenario);
if (!scenario) throw new Error(`unknown scenario ${args.scenario}`);
const port = Number(args.port);
const payloadBytes = Number(args['payload-bytes']);
const wireBytes = Number(args['wire-bytes']);
const SMALL = 'bench-small';

const MODULES = { raw: './clients/raw.mjs', sdk: './clients/sdk.mjs', ours: './clients/ours.mjs' };

async function loadClient(aggregate) {
  const family = args.client.startsWith('ours') ? 'ours' : args.client;
  const mod = await import(MODULES[family]);
  const wantAggregate = args.client === 'ours-aggregated' || aggregate;
  return mod.createClient({ port, aggregate: wantAggregate, encoding: ENCODINGS[args.client] });
}

/** Peak RSS: the kernel's high-water mark plus our own samples (which also see the moment of the peak). */
function startRssSampler() {
  let max = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > max) max = rss;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    },
  };
}

const cpuMs = (usage) => (usage.user + usage.system) / 1000;

function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

function checkBytes(client, got, fn) {
  const expected =
    fn === SMALL
      ? client.countsWireBytes
        ? undefined
        : 100
      : client.countsWireBytes
        ? wireBytes
        : payloadBytes;
  if (expected !== undefined && got !== expected) {
    throw new Error(`${args.client} read ${got} bytes from ${fn}, expected ${expected}`);
  }
}

async function warmup(client, count) {
  for (let i = 0; i < count; i++) {
    const { bytes } = await client.call(SMALL);
    checkBytes(client, bytes, SMALL);
  }
}

async function timedCalls(client, count, hooksFor) {
  const latencies = [];
  const marks = [];
  for (let i = 0; i < count; i++) {
    const mark = { start: performance.now(), status: Number.NaN, firstChunk: Number.NaN };
    const { bytes } = await client.call(scenario.fn, {
      onStatus: () => {
        mark.status = performance.now();
      },
      onFirstChunk: () => {
        mark.firstChunk = performance.now();
      },
      ...hooksFor?.(mark),
    });
    const end = performance.now();
    checkBytes(client, bytes, scenario.fn);
    latencies.push(end - mark.start);
    marks.push(mark);
  }
  return { latencies, marks };
}

/**
 * With --cpu-prof-file, a V8 CPU profile of the measured part only (after the warm-up), so import,
 * schema compilation and JIT warm-up do not drown the per-byte and per-call costs.
 */
const profiler = {
  session: undefined,
  async start() {
    if (!args['cpu-prof-file']) return;
    const { Session } = await import('node:inspector/promises');
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
  },
  async stop() {
    if (!this.session) return;
    const { profile } = await this.session.post('Profiler.stop');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(args['cpu-prof-file'], JSON.stringify(profile));
    this.session.disconnect();
  },
};

const median = (values) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

const run = {
  async throughput(client) {
    await warmup(client, 3);
    // One untimed pass over the big body too: the first call runs mostly unoptimised code in every client,
    // and steady-state throughput is what a long stream sees.
    await timedCalls(client, 1);
    await profiler.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await timedCalls(client, scenario.calls);
    const wallMs = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(cpu0));
    const mib = (payloadBytes * scenario.calls) / MiB;
    return { mibPerSec: mib / (wallMs / 1000), mibPerCpuSec: mib / (cpu / 1000), wallMs, cpuMs: cpu };
  },

  async sequential(client) {
    await warmup(client, scenario.warmup);
    await profiler.start();
    const cpu0 = process.cpuUsage();
    const { latencies } = await timedCalls(client, scenario.calls);
    const cpu = cpuMs(process.cpuUsage(cpu0));
    const sorted = latencies.sort((a, b) => a - b);
    return {
      medianMs: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      cpuPerCallUs: (cpu * 1000) / scenario.calls,
    };
  },

  async concurrent(client) {
    await warmup(client, scenario.warmup);
    await profiler.start();
    let next = 0;
    const latencies = [];
    const worker = async () => {
      while (next < scenario.calls) {
        next++;
        const start = performance.now();
        const { bytes } = await client.call(scenario.fn);
        latencies.push(performance.now() - start);
        checkBytes(client, bytes, scenario.fn);
      }
    };
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: scenario.inFlight }, worker));
    const wallMs = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(cpu0));
    return {
      callsPerSec: scenario.calls / (wallMs / 1000),
      cpuPerCallUs: (cpu * 1000) / scenario.calls,
      medianMs: median(latencies),
    };
  },

  async 'first-chunk'(client) {
    await warmup(client, scenario.warmup);
    await profiler.start();
    const { marks, latencies } = await timedCalls(client, scenario.calls);
    return {
      medianMs: median(marks.map((m) => m.firstChunk - m.start)),
      medianCallMs: median(latencies),
    };
  },

  async status(client) {
    await warmup(client, scenario.warmup);
    await profiler.start();
    const { marks } = await timedCalls(client, scenario.calls);
    const statusMs = marks.map((m) => m.status - m.start);
    const firstChunkMs = marks.map((m) => m.firstChunk - m.start);
    const lateMs = scenarioSizes(args.quick).lateFirstChunkMs;
    return {
      medianMs: median(statusMs),
      medianFirstChunkMs: median(firstChunkMs),
      // "Known before the first chunk": the status came well ahead of the late chunk, in every call.
      beforeFirstChunk: marks.every((m) => m.firstChunk - m.status > lateMs / 2),
    };
  },

  async rss(client) {
    await warmup(client, scenario.warmup);
    await profiler.start();
    globalThis.gc?.();
    const baseline = process.memoryUsage.rss();
    const sampler = startRssSampler();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { bytes, result } = await client.call(scenario.fn);
    const wallMs = performance.now() - t0;
    const peak = sampler.stop();
    checkBytes(client, bytes, scenario.fn);
    // Aggregated results stay reachable until the peak is read: holding them is the point.
    if (scenario.aggregate && result === undefined) throw new Error('aggregated call returned no result');
    const growth = peak - baseline;
    return {
      rssGrowthMiB: growth / MiB,
      rssGrowthPerPayload: growth / payloadBytes,
      baselineRssMiB: baseline / MiB,
      mibPerSec: payloadBytes / MiB / (wallMs / 1000),
      cpuMs: cpuMs(process.cpuUsage(cpu0)),
      resultKept: result !== undefined,
    };
  },
};

async function main() {
  if (scenario.kind === 'cold') {
    await profiler.start();
    const t0 = performance.now();
    const client = await loadClient(false);
    const t1 = performance.now();
    const { bytes } = await client.call(scenario.fn);
    const t2 = performance.now();
    await profiler.stop();
    checkBytes(client, bytes, scenario.fn);
    return {
      totalMs: t2 - t0,
      importMs: t1 - t0,
      firstCallMs: t2 - t1,
      // From the process's time origin: Node's own start-up, the same for every client.
      sinceProcessStartMs: t2,
    };
  }
  const client = await loadClient(scenario.aggregate === true);
  const result = await run[scenario.kind](client);
  await profiler.stop();
  client.close();
  return result;
}

main().then(
  (result) => {
    const peakRssMiB = (process.resourceUsage().maxRSS * 1024) / MiB;
    process.stdout.write(`${JSON.stringify({ ok: true, ...result, peakRssMiB })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
