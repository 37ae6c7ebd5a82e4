import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runDecoderFuzz } from '../support/fuzz-decoder.js';
import { reliabilityDir, writeJsonAtomic } from '../support/vectors.js';

// 5,000 seeded cases in `npm test`; RELIABILITY_LONG=1 runs 100,000 (issue 6, part 2).
const LONG = process.env.RELIABILITY_LONG === '1';
const CASES = LONG ? 100_000 : 5_000;
const SEED = 0x5eed_2024;

describe('event-stream decoder fuzzing', () => {
  it(
    `${CASES} seeded mutated streams at random split points each end in reference-checked events or a typed StreamError`,
    async () => {
      const report = await runDecoderFuzz({ seed: SEED, cases: CASES });
      writeJsonAtomic(join(reliabilityDir, 'decoder-fuzz.json'), {
        ...report,
        long: LONG,
        at: new Date().toISOString(),
      });

      expect(report.failures).toEqual([]);
      expect(report.outcomes.untyped ?? 0).toBe(0);
      expect(report.outcomes.hang ?? 0).toBe(0);
      expect(report.maxAllocationBytes).toBeLessThanOrEqual(report.maxMessageBytes);
      // The mutations must actually reach every way a stream can end, or the fuzzer proves little.
      for (const kind of [
        'events',
        'STREAM_CHECKSUM',
        'STREAM_MALFORMED',
        'STREAM_TRUNCATED',
        'STREAM_INCOMPLETE',
        'STREAM_EXCEPTION',
      ]) {
        expect(report.outcomes[kind] ?? 0).toBeGreaterThan(0);
      }
      expect(Object.values(report.outcomes).reduce((a, b) => a + b, 0)).toBe(CASES);
    },
    LONG ? 1_800_000 : 120_000,
  );
});
