#!/usr/bin/env node
// `npm run reliability [-- --long]`: runs the reliability suite (test/reliability and the vector
// tests) with RELIABILITY_LONG set as asked, then reads the figures each part wrote to
// `.reliability/*.json` and prints them as one table. The exit status is jest's.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.reliability');
const long = process.argv.includes('--long');
const reportOnly = process.argv.includes('--report-only');

if (!reportOnly) {
  // Old figures must not pass for new ones: a part that fails to write shows as missing.
  rmSync(dir, { recursive: true, force: true });
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const started = Date.now();
const jest = reportOnly
  ? { status: 0 }
  : spawnSync(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--no-warnings=ExperimentalWarning',
        join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
        'test/reliability',
        'test/signing-vectors/sigv4-vectors.test.ts',
        'test/eventstream/vectors.test.ts',
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, RELIABILITY_LONG: long ? '1' : '0' } },
    );
const minutes = ((Date.now() - started) / 60000).toFixed(1);

const read = (name) => {
  const file = join(dir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};
const n = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v ?? '–'));
const mib = (bytes) => (typeof bytes === 'number' ? `${(bytes / 1048576).toFixed(1)} MiB` : '–');
const rows = [];
const row = (part, figure, value) => rows.push([part, figure, value]);

const vectors = read('vectors');
if (vectors) {
  for (const [suite, t] of Object.entries(vectors))
    row('1 vectors', suite, `${t.passed} / ${t.total} passed`);
} else row('1 vectors', 'figures', 'missing');

const fuzz = read('decoder-fuzz');
if (fuzz) {
  row('2 decoder fuzzing', 'cases', `${n(fuzz.cases)} (seed ${fuzz.seed})`);
  row(
    '2 decoder fuzzing',
    'outcomes',
    Object.entries(fuzz.outcomes)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(', '),
  );
  row(
    '2 decoder fuzzing',
    'failures / largest allocation',
    `${fuzz.failures?.length ?? 0} / ${n(fuzz.maxAllocationBytes)} B (limit ${n(fuzz.maxMessageBytes)})`,
  );
} else row('2 decoder fuzzing', 'figures', 'missing');

const faults = read('faults');
if (faults) {
  row('3 faults', 'cells (fault × mode) / runs', `${faults.cells} / ${faults.runs}`);
  for (const cell of faults.matrix) {
    const end =
      cell.outcome === 'success'
        ? 'served whole'
        : `${cell.code}, ${cell.chunksDelivered} chunk(s) delivered`;
    row('3 faults', `${cell.fault} · ${cell.mode}`, `${end}; ${cell.attempts} attempt(s)`);
  }
} else row('3 faults', 'figures', 'missing');

const bad = read('bad-input');
if (bad) {
  row(
    '4 bad input',
    'cases / fields',
    `${n(bad.cases)} / ${bad.fields}, each in aggregated and chunked mode`,
  );
  row('4 bad input', 'requests received by the server', n(bad.requestsReceived));
  row('4 bad input', 'hostile shapes and files (issue 18)', n(bad.byKind?.hostile ?? 0));
  row(
    '4 bad input',
    'codes',
    Object.entries(bad.codes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  );
} else row('4 bad input', 'figures', 'missing');

const secretsParts = ['secrets', 'faults', 'bad-input'].map((p) => [p, read(p)]);
let sources = 0;
let lines = 0;
let leaks = 0;
for (const [part, f] of secretsParts) {
  const s = part === 'secrets' ? f : f?.secretsScan;
  if (!s) continue;
  sources += s.sources;
  lines += s.lines;
  leaks += s.leaks;
  row('5 secrets', `scanned in ${part}`, `${n(s.sources)} outputs, ${n(s.lines)} lines`);
}
const secrets = read('secrets');
if (secrets)
  row(
    '5 secrets',
    'signatures looked for / requests tapped',
    `${secrets.signatures} / ${secrets.requestsTapped}`,
  );
row('5 secrets', 'total / leaks', `${n(sources)} outputs, ${n(lines)} lines / ${leaks} leaks`);

const load = read('load');
if (load) {
  row(
    '6 load',
    'invocations / in flight',
    `${n(load.total)} / ${load.concurrency} (${Object.entries(load.byMode)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  row(
    '6 load',
    'ok / lost / duplicated / reordered chunks',
    `${load.ok} / ${load.lostChunks} / ${load.duplicatedChunks} / ${load.reorderedChunks}`,
  );
  row(
    '6 load',
    'payload moved',
    `${mib(load.bytes)} in ${n(load.chunks)} chunks, ${(load.durationMs / 1000).toFixed(1)} s`,
  );
  row(
    '6 load',
    'peak RSS / exit after last call',
    `${mib(load.peakRssBytes)} / ${load.exitAfterLastCallMs} ms, code ${load.exitCode}`,
  );
} else row('6 load', 'figures', 'missing');

const hard = read('hardening');
if (hard) {
  row(
    '7 emulator hardening',
    'bad signatures / marker runs',
    `${hard.badSignatures?.variants} / ${hard.badSignatures?.markerRuns}`,
  );
  row(
    '7 emulator hardening',
    '413 from Content-Length',
    `after ${mib(hard.declaredTooLarge?.sentBeforeAnswer)} of ${mib(hard.declaredTooLarge?.declaredBytes)}; memory +${mib(hard.declaredTooLarge?.memoryGrowthBytes)}`,
  );
  row(
    '7 emulator hardening',
    '413 for a chunked body',
    `after ${mib(hard.chunkedTooLarge?.sentBeforeAnswer)} of ${mib(hard.chunkedTooLarge?.bodyBytes)}; memory +${mib(hard.chunkedTooLarge?.memoryGrowthBytes)}`,
  );
  row(
    '7 emulator hardening',
    'mid-stream disconnects',
    `${hard.disconnects?.rounds}: handler streams ended ${hard.disconnects?.handlerStreamsEnded}, served after each`,
  );
} else row('7 emulator hardening', 'figures', 'missing');

const hostile = read('hostile-endpoint');
if (hostile) {
  row(
    '8 hostile endpoints',
    'behaviours / cells (aggregated, chunked, CLI)',
    `${hostile.behaviours} / ${hostile.cells}, ${hostile.unexpected} unexpected`,
  );
  for (const cell of hostile.matrix)
    row('8 hostile endpoints', `${cell.behaviour} · ${cell.mode}`, cell.outcome);
  row(
    '8 hostile endpoints',
    'connections the client closed / bytes the peer wrote after the completion',
    `${hostile.connectionsClosedByClient} / ${mib(hostile.bytesSentAfterCompletion)}; slowest cell ${hostile.slowestCellMs} ms`,
  );
} else row('8 hostile endpoints', 'figures', 'missing');

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
const line = (r) => `| ${r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(
  `\nReliability figures (${long ? 'long' : 'short'} run${reportOnly ? '' : `, ${minutes} min`})\n\n`,
);
process.stdout.write(`${line(['part', 'figure', 'value'])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.exitCode = jest.status ?? 1;
