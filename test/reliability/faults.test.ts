// Part 3 of issue 6: every fault the emulator can inject, run through the real executor in both output
// modes, ends as documented: retried before any output and then served whole, or a typed error that
// says how many chunks went downstream. Never a partial result presented as success, never a
// duplicated or reordered chunk (each delivered chunk is checked against what the generator wrote).
import { afterAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, type FaultSpec, startEmulator } from '../../src/emulator/index.js';
import {
  type AggregatedResult,
  createExecutor,
  isTaskError,
  type OutputEvent,
  type TaskInput,
} from '../../src/index.js';
import { expectedChunks, type GeneratorEvent } from '../fixtures/reliability-functions/lib/chunks.mjs';
import {
  CREDENTIALS,
  capturingLogger,
  EMULATOR_CREDENTIALS,
  isolatedEnv,
  LONG,
  RELIABILITY_FUNCTIONS,
  SecretScan,
  writeFigures,
} from './helpers.js';

type Mode = 'aggregated' | 'chunked';
type Expected =
  | { outcome: 'success'; attempts: number }
  | {
      outcome: 'error';
      code: string;
      /** When aggregated mode names the same failure differently (nothing was delivered downstream). */
      aggregatedCode?: string;
      attempts: number;
      /** Chunks delivered in chunked mode; `'all'`: every chunk the function wrote. */
      chunksDelivered: number | 'all';
    };

interface FaultRow {
  fault: string;
  /** The fault, for a call of `chunks` chunks. */
  spec: FaultSpec | ((chunks: number) => FaultSpec);
  event?: Partial<GeneratorEvent>;
  settings?: TaskInput['settings'];
  expected: Expected;
}

const CHUNKS = 6;
const SIZE = 48;
// Small delays so the retries of the counted faults cost milliseconds, not the default Retry-After second.
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const TWENTY_MINUTES = 20 * 60 * 1000;

/** Fault × expected end, as README "Host API › Retries" and the emulator's fault table document it. */
const ROWS: FaultRow[] = [
  {
    fault: 'throttle ×2',
    spec: { throttle: 2, retryAfterSeconds: 0 },
    expected: { outcome: 'success', attempts: 3 },
  },
  {
    fault: 'throttle beyond maxAttempts',
    spec: { throttle: 5, retryAfterSeconds: 0 },
    expected: { outcome: 'error', code: 'THROTTLED', attempts: 3, chunksDelivered: 0 },
  },
  { fault: '500 ×2', spec: { serverError: 2 }, expected: { outcome: 'success', attempts: 3 } },
  {
    fault: '503 beyond maxAttempts',
    spec: { serverError: 5, serverErrorStatus: 503, serverErrorType: 'ServiceUnavailableException' },
    expected: { outcome: 'error', code: 'SERVICE_ERROR', attempts: 3, chunksDelivered: 0 },
  },
  {
    fault: 'throttle ×1 + 502 ×1',
    spec: { throttle: 1, retryAfterSeconds: 0, serverError: 1, serverErrorStatus: 502 },
    expected: { outcome: 'success', attempts: 3 },
  },
  {
    fault: 'headers held past firstByteMs',
    spec: {},
    event: { delayFirstWriteMs: 400 },
    settings: { timeouts: { firstByteMs: 100 } },
    // Not retried: the request reached the function, which may already be running.
    expected: { outcome: 'error', code: 'FIRST_BYTE_TIMEOUT', attempts: 1, chunksDelivered: 0 },
  },
  {
    fault: 'first chunk delayed (within idleMs)',
    spec: { delayFirstChunkMs: 60 },
    expected: { outcome: 'success', attempts: 1 },
  },
  {
    fault: 'first chunk delayed past idleMs',
    spec: { delayFirstChunkMs: 500 },
    settings: { timeouts: { idleMs: 100 } },
    expected: { outcome: 'error', code: 'IDLE_TIMEOUT', attempts: 1, chunksDelivered: 0 },
  },
  {
    fault: 'stalls between chunks (within idleMs)',
    spec: { delayBetweenChunksMs: 15 },
    expected: { outcome: 'success', attempts: 1 },
  },
  {
    fault: 'stall between chunks past idleMs',
    spec: { delayBetweenChunksMs: 500 },
    settings: { timeouts: { idleMs: 100 } },
    expected: { outcome: 'error', code: 'IDLE_TIMEOUT', attempts: 1, chunksDelivered: 1 },
  },
  {
    fault: 'connection dropped after headers',
    spec: { dropAfterChunks: 0 },
    expected: { outcome: 'error', code: 'CONNECTION_FAILED', attempts: 1, chunksDelivered: 0 },
  },
  {
    fault: 'connection dropped after 3 chunks',
    spec: { dropAfterChunks: 3 },
    // STREAM_INTERRUPTED says chunks went downstream first; aggregated mode delivered none.
    expected: {
      outcome: 'error',
      code: 'STREAM_INTERRUPTED',
      aggregatedCode: 'CONNECTION_FAILED',
      attempts: 1,
      chunksDelivered: 3,
    },
  },
  {
    fault: 'corrupt checksum on chunk 3',
    spec: { corruptChunk: 3 },
    expected: { outcome: 'error', code: 'STREAM_CHECKSUM', attempts: 1, chunksDelivered: 2 },
  },
  {
    fault: 'message 3 truncated',
    spec: { truncateMessage: 3 },
    expected: { outcome: 'error', code: 'STREAM_TRUNCATED', attempts: 1, chunksDelivered: 2 },
  },
  {
    fault: 'InvokeComplete truncated',
    spec: (chunks) => ({ truncateMessage: chunks + 1 }),
    expected: { outcome: 'error', code: 'STREAM_TRUNCATED', attempts: 1, chunksDelivered: 'all' },
  },
  {
    fault: 'no InvokeComplete',
    spec: { omitComplete: true },
    expected: { outcome: 'error', code: 'STREAM_INCOMPLETE', attempts: 1, chunksDelivered: 'all' },
  },
  {
    fault: 'clock skew +20 min',
    spec: { clockSkewMs: TWENTY_MINUTES },
    expected: { outcome: 'success', attempts: 2 },
  },
  {
    fault: 'clock skew −20 min',
    spec: { clockSkewMs: -TWENTY_MINUTES },
    expected: { outcome: 'success', attempts: 2 },
  },
];

/** What one run ended as, in the matrix's words. */
interface Observed {
  outcome: 'success' | 'error';
  code?: string;
  attempts: number;
  chunksDelivered: number;
}

interface MatrixCell extends Observed {
  fault: string;
  mode: Mode;
  runs: number;
}

const scan = new SecretScan();
const matrix: MatrixCell[] = [];
// The long run repeats every cell with other seeds, sizes and chunk counts.
const REPEATS = LONG ? 10 : 1;

afterAll(() => {
  const leaks = scan.leaks();
  writeFigures('faults', {
    cells: matrix.length,
    runs: matrix.reduce((n, c) => n + c.runs, 0),
    matrix,
    secretsScan: { ...scan.totals(), signatures: scan.signatureCount, leaks: leaks.length },
  });
});

async function runCell(row: FaultRow, mode: Mode, repeat: number): Promise<Observed> {
  const emulator: EmulatorHandle = await startEmulator({
    functionsDir: RELIABILITY_FUNCTIONS,
    credentials: EMULATOR_CREDENTIALS,
    faults: { gen: typeof row.spec === 'function' ? row.spec(CHUNKS + repeat) : row.spec },
  });
  const credentials = mode === 'aggregated' ? CREDENTIALS.shaped : CREDENTIALS.unshaped;
  const source = `${row.fault}/${mode}/${repeat}`;
  const event: GeneratorEvent = {
    seed: 1000 + repeat,
    chunks: CHUNKS + repeat,
    size: SIZE + 7 * repeat,
    ...row.event,
  };
  const expected = expectedChunks(event);
  let attempts = 0;
  const signatures = scan.observer();
  const { logger } = capturingLogger(scan, source);
  const input: TaskInput = {
    path: { FunctionName: 'gen' },
    body: { Payload: event },
    settings: {
      endpoint: emulator.url,
      region: 'us-east-1',
      outputMode: mode,
      retry: FAST_RETRY,
      ...row.settings,
    },
  };
  const context = {
    credentials,
    env: isolatedEnv(),
    logger,
    observer: {
      onRequest: (r: Parameters<NonNullable<typeof signatures.onRequest>>[0]) => {
        attempts += 1;
        signatures.onRequest?.(r);
      },
    },
  };
  try {
    const executor = createExecutor();
    if (mode === 'aggregated') {
      let result: AggregatedResult;
      try {
        result = await executor.invoke(input, context);
      } catch (error: unknown) {
        scan.addValue(`${source}.error`, error);
        expect(isTaskError(error)).toBe(true);
        const typed = error as { code: string; chunksDelivered?: number };
        // Aggregated mode delivers nothing before the end: the error says so.
        return { outcome: 'error', code: typed.code, attempts, chunksDelivered: typed.chunksDelivered ?? 0 };
      }
      scan.addValue(`${source}.result`, result);
      // A success is the whole output, exactly as written: never a prefix.
      expect(result.payload).toBe(expected.join(''));
      expect(result.chunks).toBe(expected.length);
      expect(result.bytes).toBe(expected.join('').length);
      expect(result.functionError).toBeUndefined();
      return { outcome: 'success', attempts, chunksDelivered: result.chunks };
    }
    const events: OutputEvent[] = [];
    for await (const e of executor.invokeStream(input, context)) events.push(e);
    scan.addValue(`${source}.events`, events);
    const chunks = events.filter((e) => e.type === 'chunk');
    // Delivered chunks are a prefix of what the function wrote, in order, none twice.
    chunks.forEach((c, i) => {
      expect(c.seq).toBe(i);
      expect(c.data).toBe(expected[i]);
      expect(c.offset).toBe(expected.slice(0, i).join('').length);
    });
    const terminal = events.filter((e) => e.type === 'complete' || e.type === 'error');
    expect(terminal).toHaveLength(1);
    const last = events.at(-1);
    expect(last).toBe(terminal[0]);
    if (last?.type === 'complete') {
      expect(chunks).toHaveLength(expected.length);
      expect(last.chunks).toBe(expected.length);
      return { outcome: 'success', attempts, chunksDelivered: chunks.length };
    }
    if (last?.type !== 'error') throw new Error(`${source}: the stream ended without complete or error`);
    expect(last.chunksDelivered).toBe(chunks.length);
    return { outcome: 'error', code: last.code, attempts, chunksDelivered: last.chunksDelivered };
  } finally {
    await emulator.close();
  }
}

describe('faults matrix: fault × output mode against the emulator', () => {
  for (const row of ROWS) {
    for (const mode of ['aggregated', 'chunked'] as const) {
      const want = row.expected;
      const ending =
        want.outcome === 'success'
          ? `is served whole after ${want.attempts} attempt(s)`
          : `ends in ${mode === 'aggregated' ? (want.aggregatedCode ?? want.code) : want.code}${mode === 'chunked' ? ` after ${want.chunksDelivered} delivered chunk(s)` : ''}`;
      it(`${row.fault} (${mode}) ${ending}, with no partial success, lost, duplicated or reordered chunk`, async () => {
        let cell: Observed | undefined;
        for (let repeat = 0; repeat < REPEATS; repeat += 1) {
          const observed = await runCell(row, mode, repeat);
          const expected: Observed =
            want.outcome === 'success'
              ? {
                  outcome: 'success',
                  attempts: want.attempts,
                  chunksDelivered: CHUNKS + repeat,
                }
              : {
                  outcome: 'error',
                  code: mode === 'aggregated' ? (want.aggregatedCode ?? want.code) : want.code,
                  attempts: want.attempts,
                  // Aggregated mode hands nothing downstream before the end.
                  chunksDelivered:
                    mode === 'aggregated'
                      ? 0
                      : want.chunksDelivered === 'all'
                        ? CHUNKS + repeat
                        : want.chunksDelivered,
                };
          expect(observed).toEqual(expected);
          cell = observed;
        }
        if (cell) matrix.push({ fault: row.fault, mode, runs: REPEATS, ...cell });
      });
    }
  }

  it('nothing the runs returned, threw or logged carries a credential or a signature', () => {
    expect(scan.signatureCount).toBeGreaterThan(0);
    expect(scan.totals().lines).toBeGreaterThan(0);
    expect(scan.leaks()).toEqual([]);
  });
});
