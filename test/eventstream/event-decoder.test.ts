import { describe, expect, it } from '@jest/globals';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { isTaskError } from '../../src/errors.js';
import { encodeMessage } from '../../src/eventstream/encode-message.js';
import { EventDecoder } from '../../src/eventstream/event-decoder.js';
import type { MessageHeaders } from '../../src/eventstream/message-types.js';
import type { StreamEvent } from '../../src/eventstream/stream-event.js';
import { LAMBDA_RESPONSE_EVENTS } from '../support/lambda-events.js';

const chunk = (text: string) => encodePayloadChunk(Buffer.from(text));

/** Every event available from what has been pushed so far. */
function drain(decoder: EventDecoder): Array<string | StreamEvent> {
  const out: Array<string | StreamEvent> = [];
  for (let e = decoder.next(); e !== undefined; e = decoder.next()) {
    out.push(e.kind === 'chunk' ? Buffer.from(e.payload).toString() : e);
  }
  return out;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('EventDecoder', () => {
  it('returns every message of one read without further input, and waits for the rest of a split one', () => {
    const decoder = new EventDecoder(LAMBDA_RESPONSE_EVENTS);
    const third = chunk('three');
    decoder.push(Buffer.concat([chunk('one'), chunk('two'), third.subarray(0, 10)]));
    expect(drain(decoder)).toEqual(['one', 'two']);
    decoder.push(Buffer.concat([third.subarray(10), encodeInvokeComplete({ ErrorCode: 'Unhandled' })]));
    expect(drain(decoder)).toEqual(['three', { kind: 'complete', errorCode: 'Unhandled' }]);
    expect(decoder.completed).toBe(true);
    decoder.finish();
  });

  it('returns the good messages before a corrupt one in the same read, then throws STREAM_CHECKSUM', () => {
    const bad = chunk('bad!');
    bad[bad.length - 6] = bad[bad.length - 6]! ^ 0x01;
    const decoder = new EventDecoder(LAMBDA_RESPONSE_EVENTS);
    decoder.push(Buffer.concat([chunk('a'), chunk('b'), bad, chunk('never')]));
    expect(decoder.next()).toMatchObject({ kind: 'chunk' });
    expect(decoder.next()).toMatchObject({ kind: 'chunk' });
    const error = thrownBy(() => decoder.next());
    expect(isTaskError(error) && error.code).toBe('STREAM_CHECKSUM');
  });

  it('ignores whatever is pushed after the complete event, garbage included', () => {
    const decoder = new EventDecoder(LAMBDA_RESPONSE_EVENTS);
    decoder.push(Buffer.concat([encodeInvokeComplete({}), chunk('after')]));
    expect(drain(decoder)).toEqual([{ kind: 'complete' }]);
    decoder.push(Buffer.from('not an event stream at all'));
    expect(decoder.next()).toBeUndefined();
    decoder.finish();
  });

  it('fails at finish(): STREAM_TRUNCATED inside a message, STREAM_INCOMPLETE without the complete event', () => {
    const cut = new EventDecoder(LAMBDA_RESPONSE_EVENTS);
    cut.push(chunk('abc').subarray(0, 20));
    expect(cut.next()).toBeUndefined();
    const truncated = thrownBy(() => cut.finish());
    expect(isTaskError(truncated) && truncated.code).toBe('STREAM_TRUNCATED');

    const open = new EventDecoder(LAMBDA_RESPONSE_EVENTS);
    open.push(chunk('abc'));
    expect(drain(open)).toEqual(['abc']);
    const incomplete = thrownBy(() => open.finish());
    expect(isTaskError(incomplete) && incomplete.code).toBe('STREAM_INCOMPLETE');
  });
});

describe('header blocks remembered across messages', () => {
  it('keeps binary header values of a remembered header block intact across messages that span reads', () => {
    // Regression guard: the header map of a block is remembered for the next messages; its binary values
    // must not be views into a frame assembled in the reused buffer, which a later message overwrites.
    const str = (value: string) => ({ type: 'string', value }) as const;
    const withBinary: MessageHeaders = {
      ':message-type': str('event'),
      ':event-type': str('PayloadChunk'),
      tag: { type: 'binary', value: Uint8Array.of(1, 2, 3) },
    };
    const first = encodeMessage({ headers: withBinary, body: Buffer.alloc(3000, 0x61) });
    // Headers too large to be remembered, so the remembered map stays the first one's.
    const big = encodeMessage({
      headers: { ':message-type': str('event'), ':event-type': str('Other'), pad: str('x'.repeat(1500)) },
      body: Buffer.alloc(10, 0x62),
    });
    const second = encodeMessage({ headers: withBinary, body: Buffer.from('second') });
    const tags: number[][] = [];
    const decoder = new EventDecoder(LAMBDA_RESPONSE_EVENTS, {
      onMessage: (m) => {
        const tag = m.headers.tag;
        if (tag?.type === 'binary') tags.push(Array.from(tag.value));
      },
    });
    // `first` and `big` span reads (assembled in the reused buffer); `second` lies inside one read.
    const reads = [
      first.subarray(0, 100),
      first.subarray(100),
      big.subarray(0, 50),
      Buffer.concat([big.subarray(50), second]),
    ];
    for (const read of reads) {
      decoder.push(read);
      drain(decoder);
    }
    expect(tags).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });
});
