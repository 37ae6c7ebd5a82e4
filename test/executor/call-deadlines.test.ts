import { describe, expect, it } from '@jest/globals';
import { CallDeadlines, type DeadlineKind } from '../../src/transport/call-deadlines.js';

// One timer serves all four timeouts of a call; these prove that folding them loses none: the
// nearest live deadline is the one reported, a cleared one never is, and a restarted one counts
// from its restart.
function expiries(): {
  seen: DeadlineKind[];
  first: Promise<DeadlineKind>;
  onExpire: (k: DeadlineKind) => void;
} {
  const seen: DeadlineKind[] = [];
  let resolveFirst: (k: DeadlineKind) => void = () => {};
  const first = new Promise<DeadlineKind>((resolve) => {
    resolveFirst = resolve;
  });
  return {
    seen,
    first,
    onExpire: (kind) => {
      seen.push(kind);
      resolveFirst(kind);
    },
  };
}

describe('CallDeadlines', () => {
  it('reports the nearest deadline first', async () => {
    const e = expiries();
    const deadlines = new CallDeadlines({ total: 5_000, connect: 20 }, e.onExpire);
    expect(await e.first).toBe('connect');
    deadlines.stop();
    expect(e.seen).toEqual(['connect']);
  });

  it('skips a cleared deadline and re-arms for the next one', async () => {
    const e = expiries();
    const deadlines = new CallDeadlines({ total: 60, connect: 10 }, e.onExpire);
    deadlines.clear('connect');
    expect(await e.first).toBe('total');
    deadlines.stop();
    expect(e.seen).toEqual(['total']);
  });

  it('arms earlier when a later-started deadline is nearer than the armed one', async () => {
    const e = expiries();
    const deadlines = new CallDeadlines({ total: 5_000 }, e.onExpire);
    deadlines.start('firstByte', 10);
    expect(await e.first).toBe('firstByte');
    deadlines.stop();
  });

  it('counts a restarted deadline from its restart, and fires it once per start', async () => {
    const e = expiries();
    const deadlines = new CallDeadlines({ total: 5_000, idle: 10 }, e.onExpire);
    deadlines.start('idle', 40);
    const kind = await e.first;
    expect(kind).toBe('idle');
    await new Promise((resolve) => setTimeout(resolve, 60));
    deadlines.stop();
    expect(e.seen).toEqual(['idle']);
  });

  it('fires nothing once stopped', async () => {
    const e = expiries();
    const deadlines = new CallDeadlines({ total: 10, connect: 5 }, e.onExpire);
    deadlines.stop();
    deadlines.start('idle', 5);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(e.seen).toEqual([]);
  });

  it('keeps a deadline beyond setTimeout’s range instead of firing it at once', async () => {
    const e = expiries();
    const deadlines = new CallDeadlines({ total: 2 ** 32 }, e.onExpire);
    await new Promise((resolve) => setTimeout(resolve, 30));
    deadlines.stop();
    expect(e.seen).toEqual([]);
  });
});
