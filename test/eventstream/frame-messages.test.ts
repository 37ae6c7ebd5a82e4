import { describe, expect, it } from '@jest/globals';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { InputError, StreamError } from '../../src/errors.js';
import { crc32 } from '../../src/eventstream/crc32.js';
import { decodeMessage } from '../../src/eventstream/decode-message.js';
import { frameMessages } from '../../src/eventstream/frame-messages.js';
import { MessageFramer } from '../../src/eventstream/message-framer.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../src/eventstream/message-types.js';

async function* feed(chunks: Iterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield c;
}

/** Cuts `bytes` into reads of `size` bytes (the last one shorter). */
function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Frames as hex strings: cheap for jest to compare, readable in a failure diff. */
async function collect(source: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of source) out.push(Buffer.from(frame).toString('hex'));
  return out;
}

async function failure(run: () => Promise<unknown>): Promise<StreamError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof StreamError) return error;
    throw error;
  }
  throw new Error('expected a StreamError, got success');
}

/** A prelude declaring `total` bytes, with a correct prelude CRC (so only the length is wrong). */
function prelude(total: number, headersLength = 0): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(total >>> 0, 0);
  bytes.writeUInt32BE(headersLength, 4);
  bytes.writeUInt32BE(crc32(bytes.subarray(0, 8)), 8);
  return bytes;
}

const messages = [
  encodePayloadChunk(Buffer.from('Hello, ')),
  encodePayloadChunk(Buffer.alloc(300, 1)),
  encodePayloadChunk(Buffer.alloc(0)),
  encodePayloadChunk(Buffer.from('world')),
  encodeInvokeComplete({}),
];
const stream = Buffer.concat(messages);
const expected = messages.map((m) => Buffer.from(m).toString('hex'));

describe('frameMessages', () => {
  it.each([1, 2, 3, 7, 13, 4096, stream.length])(
    'yields the same whole messages when reads are %i bytes',
    async (size) => {
      expect(await collect(frameMessages(feed(split(stream, size))))).toEqual(expected);
    },
  );

  it('yields the same messages for every single cut point of the stream', async () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const frames = await collect(frameMessages(feed([stream.subarray(0, cut), stream.subarray(cut)])));
      expect(frames).toEqual(expected);
    }
  });

  it('handles a 4-byte length prefix split across reads (1 + 3, 2 + 2, 3 + 1 bytes)', async () => {
    const first = messages[0]!;
    for (const at of [1, 2, 3]) {
      const reads = [stream.subarray(first.length, first.length + at), stream.subarray(first.length + at)];
      const frames = await collect(frameMessages(feed([first, ...reads])));
      expect(frames).toEqual(expected);
    }
  });

  it('returns a message inside one read as a view of that read (no copy)', async () => {
    const frames: Uint8Array[] = [];
    for await (const frame of frameMessages(feed([stream]))) frames.push(frame);
    expect(frames.every((f) => f.buffer === stream.buffer)).toBe(true);
  });

  it('frames 2,000 small messages delivered in arbitrary reads', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => encodePayloadChunk(Buffer.from(`chunk-${i}`)));
    const bytes = Buffer.concat(many);
    const reads: Uint8Array[] = [];
    for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 3) % 997) {
      reads.push(bytes.subarray(at, at + step));
    }
    const frames = await collect(frameMessages(feed(reads)));
    expect(frames.length).toBe(2000);
    expect(frames.map((f) => Buffer.from(decodeMessage(Buffer.from(f, 'hex')).body).toString())).toEqual(
      many.map((_, i) => `chunk-${i}`),
    );
  });

  it('frames one 4 MiB message delivered in 16 KiB reads (and in 1-KiB reads, past the pending-parts limit)', async () => {
    const payload = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
    const message = encodePayloadChunk(payload);
    for (const size of [16 * 1024, 1024]) {
      const frames = await collect(frameMessages(feed(split(message, size))));
      expect(frames.length).toBe(1);
      expect(Buffer.from(decodeMessage(Buffer.from(frames[0]!, 'hex')).body).equals(payload)).toBe(true);
    }
  });

  it('throws STREAM_TRUNCATED when the input ends inside a message, at every cut point', async () => {
    const one = messages[1]!;
    for (let cut = 1; cut < one.length; cut++) {
      const error = await failure(() => collect(frameMessages(feed(split(one.subarray(0, cut), 5)))));
      expect(error.code).toBe('STREAM_TRUNCATED');
    }
  });

  it('rejects a declared length of 2^31 as STREAM_MALFORMED from the prelude alone, without waiting for the body', async () => {
    // The source never delivers a second read: if the framer waited for (or allocated) 2 GiB it would hang.
    async function* hostile(): AsyncIterable<Uint8Array> {
      yield prelude(2 ** 31);
      await new Promise<never>(() => {});
    }
    const error = await failure(() => collect(frameMessages(hostile())));
    expect(error.code).toBe('STREAM_MALFORMED');
    expect(error.details).toMatchObject({
      declaredLength: 2 ** 31,
      maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
    });
  });

  it('rejects a declared length of 2^31 split into 1-byte reads as soon as the 12-byte prelude is complete', async () => {
    const framer = new MessageFramer();
    const bytes = prelude(2 ** 31);
    for (let i = 0; i < 11; i++) {
      framer.push(bytes.subarray(i, i + 1));
      expect(framer.next()).toBeUndefined();
    }
    framer.push(bytes.subarray(11, 12));
    expect(() => framer.next()).toThrow(expect.objectContaining({ code: 'STREAM_MALFORMED' }));
  });

  it('rejects declared lengths under 16 and over a custom maxMessageBytes, and headers longer than the message', async () => {
    for (const total of [0, 15]) {
      expect((await failure(() => collect(frameMessages(feed([prelude(total)]))))).code).toBe(
        'STREAM_MALFORMED',
      );
    }
    const small = { maxMessageBytes: 120 };
    expect((await failure(() => collect(frameMessages(feed([messages[1]!]), small)))).code).toBe(
      'STREAM_MALFORMED',
    );
    expect(await collect(frameMessages(feed([messages[0]!]), small))).toEqual([expected[0]]);
    expect((await failure(() => collect(frameMessages(feed([prelude(40, 30)]))))).code).toBe(
      'STREAM_MALFORMED',
    );
  });

  it('reports a corrupt length field as STREAM_CHECKSUM (the prelude CRC is checked before the length is trusted)', async () => {
    const corrupt = Buffer.from(stream);
    const at = messages[0]!.length + 1;
    corrupt[at] = corrupt[at]! ^ 0x40;
    const error = await failure(() => collect(frameMessages(feed([corrupt]))));
    expect(error.code).toBe('STREAM_CHECKSUM');
  });

  it('refuses an invalid maxMessageBytes option (InputError) and text chunks (StreamError)', async () => {
    expect(() => new MessageFramer(8)).toThrow(InputError);
    expect(() => new MessageFramer(1.5)).toThrow(InputError);
    const text = feed(['not bytes' as unknown as Uint8Array]);
    expect((await failure(() => collect(frameMessages(text)))).code).toBe('STREAM_MALFORMED');
  });

  it('keeps unread bytes when push() is called before next() has drained the previous read', () => {
    const framer = new MessageFramer();
    framer.push(stream.subarray(0, 200));
    framer.push(stream.subarray(200));
    const frames: string[] = [];
    for (let f = framer.next(); f !== undefined; f = framer.next())
      frames.push(Buffer.from(f).toString('hex'));
    framer.finish();
    expect(frames).toEqual(expected);
  });
});
