import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isTaskError, StreamError } from '../../src/errors.js';
import { codecDecodeMessage, codecEncodeMessage } from '../../src/eventstream/codec-adapter.js';
import { decodeEvents } from '../../src/eventstream/decode-events.js';
import { decodeMessage } from '../../src/eventstream/decode-message.js';
import { encodeMessage } from '../../src/eventstream/encode-message.js';
import { frameMessages } from '../../src/eventstream/frame-messages.js';
import type { EventStreamMessage, HeaderValue } from '../../src/eventstream/message-types.js';
import { LAMBDA_RESPONSE_EVENTS } from '../support/lambda-events.js';
import { recordVectorTally, vectorsRoot } from '../support/vectors.js';

const root = join(vectorsRoot, 'eventstream');
const positives = readdirSync(join(root, 'encoded', 'positive')).sort();
const negatives = readdirSync(join(root, 'encoded', 'negative')).sort();

interface DecodedVector {
  total_length: number;
  headers_length: number;
  prelude_crc: number;
  headers: Array<{ name: string; type: number; value: unknown }>;
  payload: string | null;
  message_crc: number;
}

const b64 = (value: unknown): Buffer => Buffer.from(String(value), 'base64');

/** The header a correct decoder must produce for one JSON vector entry (README: value encodings per type). */
function expectedHeader(type: number, value: unknown): HeaderValue {
  switch (type) {
    case 0:
    case 1:
      return { type: 'boolean', value: value as boolean };
    case 2:
      return { type: 'byte', value: value as number };
    case 3:
      return { type: 'short', value: value as number };
    case 4:
      return { type: 'integer', value: value as number };
    case 5:
      return { type: 'long', value: BigInt(value as number) };
    case 6:
      return { type: 'binary', value: new Uint8Array(b64(value)) };
    case 7:
      return { type: 'string', value: b64(value).toString('utf8') };
    case 8:
      return { type: 'timestamp', value: new Date(value as number) };
    default: {
      const hex = b64(value).toString('hex');
      return {
        type: 'uuid',
        value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      };
    }
  }
}

function plain(message: EventStreamMessage): unknown {
  const headers: Record<string, unknown> = {};
  for (const [name, h] of Object.entries(message.headers)) {
    headers[name] = h.type === 'binary' ? { type: h.type, value: Array.from(h.value) } : h;
  }
  return { headers, body: Array.from(message.body) };
}

async function* feed(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield c;
}

const tally = { passed: 0, total: positives.length + negatives.length, failed: [] as string[] };
const passedNames = new Set<string>();
const vectorDone = (name: string) => {
  if (!passedNames.has(name)) {
    passedNames.add(name);
    tally.passed += 1;
  }
};

afterAll(() => {
  tally.failed = [...positives.map((n) => `positive/${n}`), ...negatives.map((n) => `negative/${n}`)].filter(
    (n) => !passedNames.has(n),
  );
  recordVectorTally('eventstream', tally);
});

describe(`event-stream public vectors (${positives.length} positive, ${negatives.length} negative)`, () => {
  it.each(positives)(
    'positive %s: decodes exactly, agrees with the codec and re-encodes byte for byte',
    (name) => {
      const bytes = new Uint8Array(readFileSync(join(root, 'encoded', 'positive', name)));
      const expected = JSON.parse(
        readFileSync(join(root, 'decoded', 'positive', name), 'utf8'),
      ) as DecodedVector;
      const view = Buffer.from(bytes);

      expect(bytes.length).toBe(expected.total_length);
      expect(view.readUInt32BE(4)).toBe(expected.headers_length);
      expect(view.readInt32BE(8)).toBe(expected.prelude_crc);
      expect(view.readInt32BE(bytes.length - 4)).toBe(expected.message_crc);

      const decoded = decodeMessage(bytes);
      const want: Record<string, HeaderValue> = {};
      for (const h of expected.headers) want[h.name] = expectedHeader(h.type, h.value);
      expect(Object.keys(decoded.headers)).toEqual(expected.headers.map((h) => h.name));
      expect({ ...decoded.headers }).toEqual(want);
      expect(
        Buffer.from(decoded.body).equals(expected.payload ? b64(expected.payload) : Buffer.alloc(0)),
      ).toBe(true);

      expect(plain(codecDecodeMessage(bytes))).toEqual(plain(decoded));
      expect(Buffer.from(encodeMessage(decoded)).equals(view)).toBe(true);
      expect(Buffer.from(codecEncodeMessage(decoded)).equals(view)).toBe(true);
      vectorDone(`positive/${name}`);
    },
  );

  it('frames the concatenated positive vectors identically at every split size', async () => {
    const all = positives.map((n) => new Uint8Array(readFileSync(join(root, 'encoded', 'positive', n))));
    const stream = Buffer.concat(all);
    for (const size of [1, 2, 3, 5, 7, 13, 64, stream.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      const frames: Uint8Array[] = [];
      for await (const frame of frameMessages(feed(chunks))) frames.push(frame);
      expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(
        all.map((f) => Buffer.from(f).toString('hex')),
      );
    }
  });

  it.each(negatives)(
    'negative %s: rejected with a typed StreamError by the decoder, the stream and the codec',
    async (name) => {
      const bytes = new Uint8Array(readFileSync(join(root, 'encoded', 'negative', name)));
      const report = readFileSync(join(root, 'decoded', 'negative', name), 'utf8');
      let thrown: unknown;
      try {
        decodeMessage(bytes);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StreamError);
      expect(isTaskError(thrown)).toBe(true);
      // Each negative vector is a checksum failure (prelude or message), so the code is the checksum one.
      expect(/checksum/i.test(report)).toBe(true);
      expect((thrown as StreamError).code).toBe('STREAM_CHECKSUM');

      let streamed: unknown;
      try {
        for await (const _ of decodeEvents(feed([bytes]), LAMBDA_RESPONSE_EVENTS)) {
          // no event may come out of a corrupt message
        }
      } catch (error) {
        streamed = error;
      }
      expect(streamed).toBeInstanceOf(StreamError);
      expect(['STREAM_CHECKSUM', 'STREAM_TRUNCATED', 'STREAM_MALFORMED']).toContain(
        (streamed as StreamError).code,
      );

      expect(() => codecDecodeMessage(bytes)).toThrow(StreamError);
      vectorDone(`negative/${name}`);
    },
  );
});
