import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { packagePath } from '../../src/paths.js';

const run = promisify(execFile);

interface Summary {
  median: number;
  min: number;
  max: number;
}

interface BenchReport {
  machine: { node: string; nproc: number; sdkVersion: string; packageVersion: string };
  quick: boolean;
  scenarios: Record<
    string,
    {
      metric: { key: string };
      clients: Record<string, Record<string, Summary>>;
      ratios: Record<string, Summary>;
    }
  >;
  failures: unknown[];
}

// Written out here rather than read from bench/scenarios.mjs, so a scenario or client dropped from the
// benchmark fails this test instead of silently shrinking what it checks.
const EXPECTED: Record<string, { metric: string; clients: string[] }> = {
  'throughput-32k': {
    metric: 'mibPerSec',
    clients: ['raw', 'sdk', 'ours-chunked', 'ours-aggregated', 'ours-bytes'],
  },
  'throughput-32k-binary': {
    metric: 'mibPerSec',
    clients: ['raw', 'sdk', 'ours-chunked', 'ours-base64', 'ours-bytes'],
  },
  'throughput-1k': {
    metric: 'mibPerSec',
    clients: ['raw', 'sdk', 'ours-chunked', 'ours-aggregated', 'ours-bytes'],
  },
  'throughput-1k-binary': {
    metric: 'mibPerSec',
    clients: ['raw', 'sdk', 'ours-chunked', 'ours-base64', 'ours-bytes'],
  },
  'sequential-small': {
    metric: 'medianMs',
    clients: ['raw', 'sdk', 'ours-chunked', 'ours-aggregated'],
  },
  'concurrent-small': {
    metric: 'callsPerSec',
    clients: ['raw', 'sdk', 'ours-chunked', 'ours-aggregated'],
  },
  'first-chunk': { metric: 'medianMs', clients: ['raw', 'sdk', 'ours-chunked'] },
  'status-known': {
    metric: 'medianMs',
    clients: ['raw', 'sdk', 'ours-chunked'],
  },
  'rss-chunked': {
    metric: 'rssGrowthMiB',
    clients: ['raw', 'sdk', 'ours-chunked'],
  },
  'rss-aggregated': {
    metric: 'rssGrowthPerPayload',
    clients: ['raw', 'sdk', 'ours-aggregated'],
  },
  'cold-start': {
    metric: 'totalMs',
    clients: ['raw', 'sdk', 'ours-aggregated'],
  },
};

// Ours ÷ raw, SDK ÷ raw and ours ÷ SDK, wherever both clients ran.
const RATIO_PAIRS = [
  ['ours-chunked', 'raw'],
  ['ours-aggregated', 'raw'],
  ['sdk', 'raw'],
  ['ours-chunked', 'sdk'],
  ['ours-aggregated', 'sdk'],
  ['ours-base64', 'raw'],
  ['ours-bytes', 'raw'],
  ['ours-base64', 'sdk'],
  ['ours-bytes', 'sdk'],
] as const;

function expectPositive(summary: Summary | undefined, label: string): void {
  expect({ label, ok: summary !== undefined }).toEqual({ label, ok: true });
  for (const value of [summary!.median, summary!.min, summary!.max]) {
    expect({ label, positive: Number.isFinite(value) && value > 0 }).toEqual({ label, positive: true });
  }
}

// Runs the benchmark the way `npm run bench` does (against dist/, which `npm test` builds first), in its
// quick mode. It checks the report's shape and that every measurement produced a number — never a speed.
describe('npm run bench --quick', () => {
  let dir: string;
  let report: BenchReport;
  let stdout: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bench-smoke-'));
    const jsonFile = path.join(dir, 'bench.json');
    ({ stdout } = await run(process.execPath, [packagePath('bench/run.mjs'), '--quick', '--json', jsonFile], {
      cwd: packagePath(),
      maxBuffer: 16 * 1024 * 1024,
      timeout: 170_000,
    }));
    report = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchReport;
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports every scenario with a positive median, min and max for each client', () => {
    expect(report.quick).toBe(true);
    expect(report.failures).toEqual([]);
    expect(Object.keys(report.scenarios).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, expected] of Object.entries(EXPECTED)) {
      const scenario = report.scenarios[id]!;
      expect(scenario.metric.key).toBe(expected.metric);
      expect(Object.keys(scenario.clients).sort()).toEqual([...expected.clients].sort());
      for (const client of expected.clients) {
        expectPositive(scenario.clients[client]?.[expected.metric], `${id} ${client} ${expected.metric}`);
        expectPositive(scenario.clients[client]?.peakRssMiB, `${id} ${client} peakRssMiB`);
      }
    }
  });

  it('pairs the ratios within a repetition for every pair of clients that ran', () => {
    for (const [id, expected] of Object.entries(EXPECTED)) {
      const pairs = RATIO_PAIRS.filter(
        ([num, den]) => expected.clients.includes(num) && expected.clients.includes(den),
      );
      expect(pairs.length).toBeGreaterThan(0);
      for (const [num, den] of pairs) {
        expectPositive(report.scenarios[id]!.ratios[`${num}/${den}`], `${id} ${num}/${den}`);
      }
    }
  });

  it('says which machine, Node and SDK versions it measured', () => {
    expect(report.machine.node).toBe(process.version);
    expect(report.machine.nproc).toBeGreaterThan(0);
    expect(report.machine.sdkVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(stdout).toContain('64 MiB in 1 KiB chunks');
  });
});
