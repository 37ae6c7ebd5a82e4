// `npm run bench`: this project's executor, @aws-sdk/client-lambda and a raw node:http client against
// one local server that streams pre-encoded event streams from memory (bench/server.mjs, its own process).
// Every measurement is a fresh client process (bench/client.mjs); within each repetition the scenarios
// run in turn and each scenario's clients run back to back, their order rotated every repetition; ratios
// are paired within a repetition and reported as median with min–max.
//
//   node bench/run.mjs [--quick] [--reps N] [--json FILE] [--only id,id] [--clients a,b]
//                      [--dist DIR]       (measure another build of this package, default dist/)
//                      [--cpu-prof DIR]   (CPU-profile the measured part of every client process into DIR;
//                                          summarise with bench/profile-summary.mjs)
//
// Needs the built package: `npm run build` first (the benchmark measures dist/, not the sources).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RATIOS, scenarios } from './scenarios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    json: { type: 'string' },
    only: { type: 'string' },
    clients: { type: 'string' },
    'cpu-prof': { type: 'string' },
    dist: { type: 'string' },
  },
});

const reps = Number(args.reps ?? (args.quick ? 1 : 3));
const onlyScenarios = args.only?.split(',');
const onlyClients = args.clients?.split(',');
const selected = scenarios(args.quick)
  .filter((s) => !onlyScenarios || onlyScenarios.includes(s.id))
  .map((s) => ({ ...s, clients: s.clients.filter((c) => !onlyClients || onlyClients.includes(c)) }));
const log = (line) => process.stderr.write(`${line}\n`);

const distDir = path.resolve(root, args.dist ?? 'dist');

function checkBuilt() {
  const entry = path.join(distDir, 'index.js');
  if (!existsSync(entry)) throw new Error('dist/index.js is missing: run `npm run build` first');
}

function startServer() {
  const child = spawn(process.execPath, [path.join(here, 'server.mjs'), ...(args.quick ? ['--quick'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ child, ...JSON.parse(line) }));
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
    child.once('error', reject);
  });
}

function runClient(server, scenario, client) {
  const info = server.scenarios[scenario.fn];
  const nodeArgs = [];
  if (scenario.kind === 'rss') nodeArgs.push('--expose-gc');
  const profileArgs = [];
  if (args['cpu-prof']) {
    mkdirSync(args['cpu-prof'], { recursive: true });
    const file = path.join(args['cpu-prof'], `${scenario.id}.${client}.${Date.now()}.cpuprofile`);
    profileArgs.push('--cpu-prof-file', file);
  }
  const clientArgs = [
    path.join(here, 'client.mjs'),
    '--client',
    client,
    '--scenario',
    scenario.id,
    '--port',
    String(server.port),
    '--payload-bytes',
    String(info.payloadBytes),
    '--wire-bytes',
    String(info.wireBytes),
    ...(args.quick ? ['--quick'] : []),
    ...profileArgs,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, ...clientArgs], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The clients take region, endpoint and credentials from their settings; nothing from the host's AWS setup.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        BENCH_DIST: distDir,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(last);
        resolve(parsed.ok ? parsed : { ok: false, error: parsed.error });
      } catch {
        resolve({ ok: false, error: `exit ${code}: ${(err || out).slice(-2000)}` });
      }
    });
  });
}

const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

function summarise(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

function machine() {
  const cpus = os.cpus();
  const pkg = (p) => JSON.parse(readFileSync(path.join(root, p), 'utf8')).version;
  return {
    node: process.version,
    nproc: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    packageVersion: pkg('package.json'),
    sdkVersion: pkg('node_modules/@aws-sdk/client-lambda/package.json'),
    platform: `${os.platform()} ${os.release()}`,
    dist: path.relative(root, distDir),
  };
}

const fmt = (v) =>
  v === undefined ? '–' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
const range = (s) => (s ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '–');

/** Secondary figures worth a column, per scenario kind. */
const EXTRA = {
  throughput: [
    ['mibPerCpuSec', 'MiB/CPU-s'],
    ['peakRssMiB', 'peak RSS MiB'],
  ],
  sequential: [
    ['p99Ms', 'p99 ms'],
    ['cpuPerCallUs', 'CPU µs/call'],
  ],
  concurrent: [
    ['cpuPerCallUs', 'CPU µs/call'],
    ['medianMs', 'median ms'],
  ],
  'first-chunk': [['medianCallMs', 'whole call ms']],
  status: [
    ['medianFirstChunkMs', 'first chunk ms'],
    ['beforeFirstChunk', 'before 1st chunk'],
  ],
  rss: [
    ['rssGrowthMiB', 'growth MiB'],
    ['rssGrowthPerPayload', 'growth ÷ payload'],
    ['peakRssMiB', 'peak RSS MiB'],
  ],
  cold: [
    ['importMs', 'import ms'],
    ['firstCallMs', 'first call ms'],
  ],
};

function printTable(report) {
  const lines = [];
  for (const s of selected) {
    const entry = report.scenarios[s.id];
    const extras = EXTRA[s.kind].filter(([key]) => key !== s.metric.key);
    lines.push(
      '',
      `### ${s.title} — ${s.metric.key} (${s.metric.unit}, ${s.metric.higher ? 'higher' : 'lower'} is better)`,
      '',
    );
    lines.push(
      `| client | ${s.metric.unit} median (min–max) | ${extras.map(([, label]) => label).join(' | ')} |`,
    );
    lines.push(`| --- | --- |${extras.map(() => ' --- |').join('')}`);
    for (const c of s.clients) {
      const m = entry.clients[c];
      if (!m) {
        lines.push(`| ${c} | failed |${extras.map(() => ' |').join('')}`);
        continue;
      }
      const cols = extras.map(([key]) =>
        key === 'beforeFirstChunk' ? (m[key]?.median === 1 ? 'yes' : 'no') : range(m[key]),
      );
      lines.push(`| ${c} | ${range(m[s.metric.key])} | ${cols.join(' | ')} |`);
    }
    const ratios = Object.entries(entry.ratios);
    if (ratios.length) lines.push('', `ratios: ${ratios.map(([id, r]) => `${id} ${range(r)}`).join('; ')}`);
  }
  return lines.join('\n');
}

/** One row per scenario: each client's median and the paired ratios (median of the per-repetition ratios). */
function printSummary(report) {
  const clients = ['raw', 'sdk', 'ours-chunked', 'ours-base64', 'ours-bytes', 'ours-aggregated'];
  const ratios = [
    'sdk/raw',
    'ours-chunked/raw',
    'ours-bytes/raw',
    'ours-aggregated/raw',
    'ours-chunked/sdk',
    'ours-base64/sdk',
    'ours-bytes/sdk',
    'ours-aggregated/sdk',
  ];
  const lines = [
    `| scenario | metric | ${clients.join(' | ')} | ${ratios.map((r) => r.replace('/', ' ÷ ')).join(' | ')} |`,
    `| --- | --- |${[...clients, ...ratios].map(() => ' ---: |').join('')}`,
  ];
  for (const s of selected) {
    const entry = report.scenarios[s.id];
    const cells = clients.map((c) => fmt(entry.clients[c]?.[s.metric.key]?.median));
    const ratioCells = ratios.map((r) => fmt(entry.ratios[r]?.median));
    lines.push(`| ${s.title} | ${s.metric.unit} | ${cells.join(' | ')} | ${ratioCells.join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main() {
  checkBuilt();
  const loadBefore = os.loadavg();
  log(
    `bench: ${args.quick ? 'quick, ' : ''}${reps} repetition(s), load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const server = await startServer();
  const raw = {}; // raw[scenario][client] = [result per rep]
  const failures = [];
  // Other work on a shared machine shows up here; the table's header repeats it.
  let maxLoad = loadBefore[0];
  try {
    for (let rep = 0; rep < reps; rep++) {
      for (const s of selected) {
        raw[s.id] ??= {};
        for (const client of rotate(s.clients, rep)) {
          const started = Date.now();
          maxLoad = Math.max(maxLoad, os.loadavg()[0]);
          const result = await runClient(server, s, client);
          raw[s.id][client] ??= [];
          raw[s.id][client][rep] = result.ok ? result : undefined;
          const shown = result.ok
            ? `${fmt(result[s.metric.key])} ${s.metric.unit}`
            : `FAILED: ${result.error.split('\n')[0]}`;
          log(
            `  rep ${rep + 1}/${reps} ${s.id.padEnd(17)} ${client.padEnd(16)} ${shown}  (${Date.now() - started} ms)`,
          );
          if (!result.ok) failures.push({ scenario: s.id, client, rep, error: result.error });
        }
      }
    }
  } finally {
    server.child.stdin.end();
    server.child.kill('SIGTERM');
  }

  const report = {
    machine: machine(),
    quick: args.quick,
    reps,
    loadAverage: { before: loadBefore, after: os.loadavg(), max1min: maxLoad },
    scenarios: {},
  };
  for (const s of selected) {
    const entry = { title: s.title, metric: s.metric, clients: {}, ratios: {} };
    for (const c of s.clients) {
      const results = (raw[s.id]?.[c] ?? []).filter(Boolean);
      if (results.length === 0) continue;
      const keys = new Set(results.flatMap((r) => Object.keys(r)).filter((k) => k !== 'ok'));
      const summary = {};
      for (const key of keys) {
        const values = results.map((r) => (typeof r[key] === 'boolean' ? Number(r[key]) : r[key]));
        const sum = summarise(values);
        if (sum) summary[key] = sum;
      }
      entry.clients[c] = summary;
    }
    for (const ratio of RATIOS) {
      const nums = raw[s.id]?.[ratio.num];
      const dens = raw[s.id]?.[ratio.den];
      if (!nums || !dens) continue;
      const paired = [];
      for (let rep = 0; rep < reps; rep++) {
        const n = nums[rep]?.[s.metric.key];
        const d = dens[rep]?.[s.metric.key];
        if (Number.isFinite(n) && Number.isFinite(d) && d !== 0) paired.push(n / d);
      }
      const sum = summarise(paired);
      if (sum) entry.ratios[ratio.id] = sum;
    }
    report.scenarios[s.id] = entry;
  }
  report.failures = failures;

  const m = report.machine;
  process.stdout.write(
    `lambda-stream-task ${m.packageVersion} vs @aws-sdk/client-lambda ${m.sdkVersion} — Node ${m.node}, ${m.nproc} × ${m.cpuModel}, ` +
      `${reps} rep(s)${args.quick ? ' (quick)' : ''}, 1-min load ${loadBefore[0].toFixed(2)} → ${report.loadAverage.after[0].toFixed(2)} (max ${maxLoad.toFixed(2)})\n`,
  );
  process.stdout.write(
    `\n## Summary (medians; ratios paired within a repetition)\n\n${printSummary(report)}\n`,
  );
  process.stdout.write(`\n## Details: median (min–max) over repetitions\n${printTable(report)}\n`);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`bench: wrote ${args.json}`);
  }
  if (failures.length) {
    log(`bench: ${failures.length} measurement(s) failed:`);
    for (const f of failures) log(`  ${f.scenario} ${f.client} rep ${f.rep + 1}: ${f.error}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  log(`bench: ${error?.stack ?? error}`);
  process.exitCode = 1;
});
