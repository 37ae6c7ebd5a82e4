// Part 6 of issue 6: load against the emulator in a child process running the built package. Zero lost,
// duplicated or reordered chunks (each is checked against the generator's deterministic content),
// bounded memory (peak RSS reported), and no leaked socket, server or timer: the child never calls
// process.exit, so it only ends if nothing is left holding the event loop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packagePath } from '../../src/paths.js';
import { LONG, writeFigures } from './helpers.js';

const TOTAL = LONG ? 1000 : 200;
const CONCURRENCY = LONG ? 100 : 50;
/** A hang is a failure: the child must have ended this long after its last call. */
const EXIT_BOUND_MS = 15_000;
/** Generous: 100 calls of up to 1 MiB in flight, both copies (socket and payload) counted. */
const RSS_BOUND_BYTES = 1024 * 1024 * 1024;

interface LoadFigures {
  total: number;
  ok: number;
  failed: number;
  lostChunks: number;
  duplicatedChunks: number;
  reorderedChunks: number;
  wrongBytes: number;
  bytes: number;
  chunks: number;
  maxInFlight: number;
  peakRssBytes: number;
  bySize: Record<string, number>;
  byMode: Record<string, number>;
  errors: string[];
}

function runChild(): Promise<{
  figures: LoadFigures;
  exitCode: number | null;
  exitAfterDoneMs: number;
  stderr: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packagePath('test'), 'reliability', 'load-child.mjs')], {
      env: { PATH: process.env.PATH ?? '', LOAD_TOTAL: String(TOTAL), LOAD_CONCURRENCY: String(CONCURRENCY) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let doneAt: number | undefined;
    let bound: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (doneAt === undefined && stdout.includes('\n')) {
        doneAt = Date.now();
        bound = setTimeout(() => {
          child.kill('SIGKILL');
          reject(
            new Error(`the load child was still running ${EXIT_BOUND_MS} ms after its last call: a leak`),
          );
        }, EXIT_BOUND_MS);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(bound);
      if (doneAt === undefined) {
        reject(
          new Error(`the load child ended without figures (exit ${exitCode}): ${stderr.slice(0, 2000)}`),
        );
        return;
      }
      const line = stdout.split('\n')[0] ?? '';
      resolve({
        figures: JSON.parse(line) as LoadFigures,
        exitCode,
        exitAfterDoneMs: Date.now() - doneAt,
        stderr,
      });
    });
  });
}

describe('load against the emulator (child process, built package)', () => {
  it(`${TOTAL} invocations with ${CONCURRENCY} in flight deliver every chunk once, in order, with bounded memory, and the process exits on its own`, async () => {
    expect(existsSync(packagePath(join('dist', 'index.js')))).toBe(true);
    const { figures, exitCode, exitAfterDoneMs, stderr } = await runChild();
    writeFigures('load', {
      ...figures,
      exitCode,
      exitAfterLastCallMs: exitAfterDoneMs,
      rssBoundBytes: RSS_BOUND_BYTES,
    });
    expect(figures.errors).toEqual([]);
    expect(stderr).toBe('');
    expect(figures.ok).toBe(TOTAL);
    expect(figures.failed).toBe(0);
    expect(figures.lostChunks).toBe(0);
    expect(figures.duplicatedChunks).toBe(0);
    expect(figures.reorderedChunks).toBe(0);
    expect(figures.wrongBytes).toBe(0);
    expect(figures.maxInFlight).toBe(CONCURRENCY);
    expect(Object.keys(figures.bySize).sort()).toEqual(['large', 'medium', 'small', 'tiny']);
    expect(Object.keys(figures.byMode).sort()).toEqual(['aggregated', 'chunked']);
    expect(figures.peakRssBytes).toBeLessThan(RSS_BOUND_BYTES);
    expect(exitCode).toBe(0);
  }, 300_000);
});
