import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { Progress } from '../../src/hosts/cli/progress.js';
import type { OutputEvent } from '../../src/index.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const parts: string[] = [];
  stream.on('data', (d: Buffer) => parts.push(d.toString()));
  return { stream, text: () => parts.join('') };
}

let seq = 0;
const chunk = (size: number): OutputEvent => {
  seq += 1;
  return { type: 'chunk', seq, offset: 0, size, elapsedMs: 0, encoding: 'utf8', data: 'x'.repeat(size) };
};

describe('Progress', () => {
  it('draws nothing for a short call, and clears nothing it did not draw', () => {
    let t = 0;
    const out = capture();
    const progress = new Progress({ stderr: out.stream }, () => t);
    t = 50;
    progress.onEvent(chunk(10));
    progress.finish();
    expect(out.text()).toBe('');
  });

  it('redraws throttled with bytes, chunks, rate and elapsed, then clears the line', () => {
    let t = 0;
    const out = capture();
    const progress = new Progress({ stderr: out.stream }, () => t);
    t = 500;
    progress.onEvent(chunk(1024));
    t = 510; // within the throttle window: no redraw
    progress.onEvent(chunk(1024));
    t = 1000;
    progress.onEvent(chunk(1024));
    progress.finish();
    const text = out.text();
    expect(text.split('\r\u001b[K')).toEqual([
      '',
      '1.0 KiB · 1 chunk(s) · 2.0 KiB/s · 0.5 s',
      '3.0 KiB · 3 chunk(s) · 3.0 KiB/s · 1.0 s',
      '',
    ]);
  });

  it('counts chunk output events only, so it needs no wire event type of the definition', () => {
    let t = 0;
    const out = capture();
    const progress = new Progress({ stderr: out.stream }, () => t);
    progress.onEvent({ type: 'start', statusCode: 200, elapsedMs: 0 });
    t = 300;
    progress.onEvent(chunk(2048));
    progress.onEvent({ type: 'complete', statusCode: 200, bytes: 2048, chunks: 1, totalMs: 300 });
    t = 600;
    progress.tick();
    progress.finish();
    expect(out.text().split('\r\u001b[K')).toEqual([
      '',
      '2.0 KiB · 1 chunk(s) · 6.7 KiB/s · 0.3 s',
      '2.0 KiB · 1 chunk(s) · 3.3 KiB/s · 0.6 s',
      '',
    ]);
  });

  it('shows the phase and elapsed time while it sees no events (aggregated mode, Test request)', () => {
    let t = 0;
    const out = capture();
    const progress = new Progress({ stderr: out.stream }, () => t);
    t = 250;
    progress.tick();
    t = 500;
    progress.observer.onResponse?.({ attempt: 1, statusCode: 200, headers: {}, elapsedMs: 500 });
    progress.finish();
    expect(out.text().split('\r\u001b[K')).toEqual([
      '',
      'waiting for the response · 0.3 s',
      '200 · receiving · 0.5 s',
      '',
    ]);
  });
});
