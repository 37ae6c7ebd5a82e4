// `performance` is the global one: importing node:perf_hooks would load ~2 ms more of a cold start.

/** The timeouts a call runs under. */
export type DeadlineKind = 'connect' | 'firstByte' | 'idle' | 'total';

/** setTimeout's longest delay; a longer one would fire at once (Node turns it into 1 ms). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** A deadline that is due within this much counts as due: timers may fire a little early. */
const SLACK_MS = 1;

/**
 * All the timeouts of one call on a single timer, armed for the nearest deadline. Arming a
 * timer per phase (connect, first byte, idle, total) cost four timer insertions and removals
 * per small call; here a call that ends quickly sets one timer and clears it once. Clearing a
 * deadline leaves the timer where it is: when it fires with nothing due it re-arms for the next
 * deadline, which is rare (only calls that outlive the nearest timeout pay for it).
 * @example
 * const deadlines = new CallDeadlines({ total: 960_000, connect: 10_000 }, (kind) => fail(kind))
 * deadlines.clear('connect'); deadlines.start('firstByte', 60_000); deadlines.stop()
 */
export class CallDeadlines {
  private readonly at: Record<DeadlineKind, number> = {
    connect: Number.POSITIVE_INFINITY,
    firstByte: Number.POSITIVE_INFINITY,
    idle: Number.POSITIVE_INFINITY,
    total: Number.POSITIVE_INFINITY,
  };
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  /**
   * @param initial deadlines to start now, in ms from now
   * @param onExpire told of a deadline that has passed (once per start); it may call `stop()`
   */
  constructor(
    initial: Partial<Record<DeadlineKind, number>>,
    private readonly onExpire: (kind: DeadlineKind) => void,
  ) {
    const now = performance.now();
    for (const kind in initial) {
      const ms = initial[kind as DeadlineKind];
      if (ms !== undefined) this.at[kind as DeadlineKind] = now + ms;
    }
    this.arm(now);
  }

  /** Start (or restart) a deadline `ms` from now. */
  start(kind: DeadlineKind, ms: number): void {
    if (this.stopped) return;
    const now = performance.now();
    this.at[kind] = now + ms;
    if (this.at[kind] < this.armedFor) this.arm(now);
  }

  /** Drop a deadline (its phase is over). */
  clear(kind: DeadlineKind): void {
    this.at[kind] = Number.POSITIVE_INFINITY;
  }

  /** Drop every deadline and the timer: the call is over. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private nearest(): [DeadlineKind, number] {
    let kind: DeadlineKind = 'total';
    let at = this.at.total;
    for (const k of ['connect', 'firstByte', 'idle'] as const) {
      if (this.at[k] < at) {
        kind = k;
        at = this.at[k];
      }
    }
    return [kind, at];
  }

  private arm(now: number): void {
    const [, at] = this.nearest();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = at;
    if (at === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(this.fire, Math.min(MAX_DELAY_MS, Math.max(0, Math.ceil(at - now))));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    for (;;) {
      if (this.stopped) return;
      const now = performance.now();
      const [kind, at] = this.nearest();
      if (at > now + SLACK_MS) {
        this.arm(now);
        return;
      }
      this.at[kind] = Number.POSITIVE_INFINITY;
      this.onExpire(kind);
    }
  };
}
