/**
 * The designer's Test requests: a run is created with its input, streamed to the page as Server-Sent
 * Events (one `message` per live event, JSON), and cancelled on request or when the page goes away.
 * The call starts when the page listens, so a run nobody watches never signs or sends anything.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ExecuteContext, LoadedManifest } from '../../index.js';
import { testRequestLive } from '../../index.js';
import { SECURITY_HEADERS } from './page-html.js';

interface Run {
  input: unknown;
  controller: AbortController;
  started: boolean;
}

/** Runs not listened to within this time are forgotten. */
const UNCLAIMED_MS = 60_000;
/** At most this many runs wait for a listener (a page that keeps creating runs cannot grow the map). */
const MAX_WAITING = 16;

/** Creates, streams and cancels runs. */
export class TestRuns {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly context: (input: unknown) => ExecuteContext,
    private readonly manifest: LoadedManifest,
  ) {}

  /** A new run of `input`; its id names its event stream. */
  create(input: unknown): string | undefined {
    if ([...this.runs.values()].filter((r) => !r.started).length >= MAX_WAITING) return undefined;
    const id = randomUUID();
    this.runs.set(id, { input, controller: new AbortController(), started: false });
    setTimeout(() => {
      if (this.runs.get(id)?.started === false) this.runs.delete(id);
    }, UNCLAIMED_MS).unref();
    return id;
  }

  /** Cancel a run: its request is closed and its stream ends with the error and the report. */
  cancel(id: string): boolean {
    const run = this.runs.get(id);
    run?.controller.abort(new Error('Cancelled from the designer'));
    return run !== undefined;
  }

  /** Cancel everything (the designer is closing). */
  cancelAll(): void {
    for (const run of this.runs.values()) run.controller.abort(new Error('The designer is closing'));
  }

  /**
   * Stream a run's events. A second listener (EventSource reconnecting after the end) gets 204,
   * which tells it to stop.
   */
  async stream(id: string, res: ServerResponse): Promise<void> {
    const run = this.runs.get(id);
    if (run === undefined || run.started) {
      res.writeHead(run === undefined ? 404 : 204, SECURITY_HEADERS).end();
      return;
    }
    run.started = true;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    // The page leaving (tab closed, EventSource closed) cancels the call.
    res.once('close', () => run.controller.abort(new Error('The page stopped listening')));
    try {
      const events = testRequestLive(
        run.input,
        { ...this.context(run.input), signal: run.controller.signal },
        { manifest: this.manifest },
      );
      for await (const event of events) {
        if (res.destroyed) continue;
        // One JSON document per event on one line: JSON.stringify never writes a raw newline.
        if (!res.write(`data: ${JSON.stringify(event)}\n\n`)) {
          await new Promise<void>((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
    } finally {
      this.runs.delete(id);
      res.end();
    }
  }
}
