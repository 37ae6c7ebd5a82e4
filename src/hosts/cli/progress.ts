import { type ExecutionObserver, formatBytes, type OutputEvent } from '../../index.js';
import type { CliIO } from './io.js';

/** Redraws at most this often, and not at all for calls shorter than this. */
const REDRAW_MS = 200;

/**
 * A one-line progress display on standard error for long calls: bytes, chunks, rate and elapsed time
 * counted from the chunk output events (chunked mode), or the call's phase and elapsed time when the
 * command sees no events until the end (aggregated mode, Test request). Redraws are throttled, and
 * the line is cleared at the end so it never mixes with real output. Only for terminals: construct
 * it when `io.isTTY` and not `--json`.
 * @example
 * const progress = new Progress(io);
 * for await (const event of executor.invokeStream(input, { observer: progress.observer })) progress.onEvent(event);
 * progress.finish();
 */
export class Progress {
  private bytes = 0;
  private chunks = 0;
  private statusCode: number | undefined;
  private readonly started: number;
  private lastDraw: number;
  private drawn = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly io: Pick<CliIO, 'stderr'>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.lastDraw = this.started;
    // Also redraw while the stream is quiet, so elapsed time keeps moving.
    this.timer = setInterval(() => this.tick(), REDRAW_MS);
    this.timer.unref();
  }

  /** Sees the response status arrive (the only part of the call it needs from the executor). */
  readonly observer: ExecutionObserver = {
    onResponse: (r) => {
      this.statusCode = r.statusCode;
      this.tick();
    },
  };

  /** Feed it each output event as the command handles it. */
  onEvent(event: OutputEvent): void {
    if (event.type === 'start') this.statusCode = event.statusCode;
    if (event.type === 'chunk') {
      this.bytes += event.size;
      this.chunks += 1;
    }
    this.tick();
  }

  /** The current line's text. */
  line(): string {
    const seconds = Math.max((this.now() - this.started) / 1000, 0.001);
    const elapsed = `${seconds.toFixed(1)} s`;
    if (this.chunks === 0) {
      return `${this.statusCode === undefined ? 'waiting for the response' : `${this.statusCode} · receiving`} · ${elapsed}`;
    }
    const rate = formatBytes(Math.round(this.bytes / seconds));
    return `${formatBytes(this.bytes)} · ${this.chunks} chunk(s) · ${rate}/s · ${elapsed}`;
  }

  /** Redraw if enough time has passed since the last draw. */
  tick(): void {
    const t = this.now();
    if (t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.drawn = true;
    this.io.stderr.write(`\r\u001b[K${this.line()}`);
  }

  /** Stop redrawing and clear the line. */
  finish(): void {
    clearInterval(this.timer);
    if (this.drawn) this.io.stderr.write('\r\u001b[K');
  }
}
