// Summarise V8 CPU profiles (from `node bench/run.mjs --cpu-prof DIR ...`): top functions by self time,
// and self time per file, so a slow client can be pinned on a stage without opening DevTools.
//
//   node bench/profile-summary.mjs <file.cpuprofile | DIR> [--top N] [--match TEXT]
// With a directory, every profile in it whose name contains TEXT (default: all) is summed.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, match: { type: 'string', default: '' } },
});

const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile') && f.includes(values.match))
        .map((f) => path.join(p, f))
    : [p],
);
if (files.length === 0) throw new Error('no .cpuprofile files given or found');

const byFunction = new Map();
const byFile = new Map();
let totalUs = 0;

const shortUrl = (url) => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const root = url.indexOf('/dist/');
  if (root >= 0) return url.slice(root + 1);
  return url.replace(/^file:\/\//, '');
};

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  // timeDeltas[i + 1] is the time spent in the state sampled at i (what Chrome DevTools does).
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id);
    const name = callFrame.functionName || '(anonymous)';
    const where = shortUrl(callFrame.url);
    const key = `${name}  ${where}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(where, (byFile.get(where) ?? 0) + us);
    totalUs += us;
  }
}

const top = Number(values.top);
const show = (title, map) => {
  console.log(`\n${title}`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, us] of rows) {
    console.log(
      `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
  }
};
console.log(`${files.length} profile(s), ${(totalUs / 1000).toFixed(0)} ms sampled`);
show('top functions by self time', byFunction);
show('self time by file', byFile);
