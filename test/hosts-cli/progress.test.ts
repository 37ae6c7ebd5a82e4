import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { Progress } from '../../src/hosts/cli/progress.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const parts: string[] = [];
  stream.on('data', (d: Buffer) => parts.push(d.toString()));
  return { stream, text: () => parts.join('') };
}

const message = (size: number) => ({
  eventType: 'PayloadChunk',
  messageType: 'event',
  role: 'chunk' as const,
  size,
  elapsedMs: 0,
  payload: new Uint8Array(size),
});

describe('Progress', () => {
  it('draws nothing for a short call, and clears nothing it did not draw', () => {
    let t = 0;
    const out = capture();
    const progress = new Progress({ stderr: out.stream }, () => t);
    t = 50;
    progress.observer.onMessage?.(message(10));
    progress.finish();
    expect(out.text()).toBe('');
  });

  it('redraws throttled with bytes, chunks, rate and elapsed, then clears the line', () => {
    let t = 0;
    const out = capture();
    const progress = new Progress({ stderr: out.stream }, () => t);
    t = 500;
    progress.observer.onMessage?.(message(1024));
    t = 510; // within the throttle window: no redraw
    progress.observer.onMessage?.(message(1024));
    t = 1000;
    progress.observer.onMessage?.(message(1024));
    progress.finish();
    const text = out.text();
    expect(text.split('\r\u001b[K')).toEqual([
      '',
      '1.0 KiB · 1 chunk(s) · 2.0 KiB/s · 0.5 s',
      '3.0 KiB · 3 chunk(s) · 3.0 KiB/s · 1.0 s',
      '',
    ]);
  });
});
