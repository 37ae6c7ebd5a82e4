import { describe, expect, it } from '@jest/globals';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk, encodePayloadChunkParts } from '../../src/emulator/encode-payload-chunk.js';
import { StreamError } from '../../src/errors.js';
import { codecDecodeMessage, codecEncodeMessage } from '../../src/eventstream/codec-adapter.js';
import { decodeMessage } from '../../src/eventstream/decode-message.js';
import { encodeError, encodeException } from '../../src/eventstream/encode-exception.js';
import { encodeMessage } from '../../src/eventstream/encode-message.js';

/** Turns a wire-format §3.6 hexdump (offset, hex bytes, |ascii|) into bytes. */
function fromHexdump(dump: string): Buffer {
  const hex = dump
    .trim()
    .split('\n')
    .map((line) => line.replace(/\|.*\|\s*$/, '').slice(10))
    .join(' ')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

const PAYLOAD_CHUNK_HELLO = fromHexdump(`
00000000  00 00 00 71 00 00 00 5a 2a 2e ae fc 0b 3a 65 76  |...q...Z*....:ev|
00000010  65 6e 74 2d 74 79 70 65 07 00 0c 50 61 79 6c 6f  |ent-type...Paylo|
00000020  61 64 43 68 75 6e 6b 0d 3a 63 6f 6e 74 65 6e 74  |adChunk.:content|
00000030  2d 74 79 70 65 07 00 18 61 70 70 6c 69 63 61 74  |-type...applicat|
00000040  69 6f 6e 2f 6f 63 74 65 74 2d 73 74 72 65 61 6d  |ion/octet-stream|
00000050  0d 3a 6d 65 73 73 61 67 65 2d 74 79 70 65 07 00  |.:message-type..|
00000060  05 65 76 65 6e 74 48 65 6c 6c 6f 2c 20 0f 2b ff  |.eventHello, .+.|
00000070  8b                                               |.|
`);

const INVOKE_COMPLETE_EMPTY = fromHexdump(`
00000000  00 00 00 66 00 00 00 54 1f 56 c8 69 0b 3a 65 76  |...f...T.V.i.:ev|
00000010  65 6e 74 2d 74 79 70 65 07 00 0e 49 6e 76 6f 6b  |ent-type...Invok|
00000020  65 43 6f 6d 70 6c 65 74 65 0d 3a 63 6f 6e 74 65  |eComplete.:conte|
00000030  6e 74 2d 74 79 70 65 07 00 10 61 70 70 6c 69 63  |nt-type...applic|
00000040  61 74 69 6f 6e 2f 6a 73 6f 6e 0d 3a 6d 65 73 73  |ation/json.:mess|
00000050  61 67 65 2d 74 79 70 65 07 00 05 65 76 65 6e 74  |age-type...event|
00000060  7b 7d 70 06 d4 67                                |{}p..g|
`);

describe('Lambda encoders match wire-format §3.6 byte for byte', () => {
  it('encodePayloadChunk("Hello, ") equals the §3.6 PayloadChunk dump (T=113, H=90)', () => {
    expect(PAYLOAD_CHUNK_HELLO.length).toBe(113);
    const encoded = Buffer.from(encodePayloadChunk(Buffer.from('Hello, ')));
    expect(encoded.toString('hex')).toBe(PAYLOAD_CHUNK_HELLO.toString('hex'));
  });

  it('encodeInvokeComplete({}) equals the §3.6 InvokeComplete dump (T=102, H=84)', () => {
    expect(INVOKE_COMPLETE_EMPTY.length).toBe(102);
    expect(Buffer.from(encodeInvokeComplete({})).toString('hex')).toBe(INVOKE_COMPLETE_EMPTY.toString('hex'));
    expect(Buffer.from(encodeInvokeComplete()).toString('hex')).toBe(INVOKE_COMPLETE_EMPTY.toString('hex'));
  });

  it('encodeException("ServiceException", …) has the §3.6 sizes and CRCs (128 bytes, H=94)', () => {
    const encoded = Buffer.from(encodeException('ServiceException', '{"message":"boom"}'));
    expect(encoded.length).toBe(128);
    expect(encoded.readUInt32BE(4)).toBe(94);
    expect(encoded.readUInt32BE(8)).toBe(0x58171308);
    expect(encoded.readUInt32BE(124)).toBe(0xcf16cfff);
  });

  it('the Lambda encoders agree with @smithy/eventstream-codec for the same headers in the same order', () => {
    const payload = Buffer.from('x'.repeat(1000));
    const viaCodec = codecEncodeMessage({
      headers: {
        ':event-type': { type: 'string', value: 'PayloadChunk' },
        ':content-type': { type: 'string', value: 'application/octet-stream' },
        ':message-type': { type: 'string', value: 'event' },
      },
      body: payload,
    });
    expect(Buffer.from(encodePayloadChunk(payload)).equals(Buffer.from(viaCodec))).toBe(true);

    const fields = {
      ErrorCode: 'Unhandled',
      ErrorDetails: 'boom',
      LogResult: Buffer.from('log').toString('base64'),
    };
    const complete = codecDecodeMessage(encodeInvokeComplete(fields));
    expect(JSON.parse(Buffer.from(complete.body).toString())).toEqual(fields);
    expect(complete.headers[':event-type']).toEqual({ type: 'string', value: 'InvokeComplete' });

    const error = codecDecodeMessage(encodeError('InternalFailure', 'try again'));
    expect({ ...error.headers }).toEqual({
      ':error-code': { type: 'string', value: 'InternalFailure' },
      ':error-message': { type: 'string', value: 'try again' },
      ':message-type': { type: 'string', value: 'error' },
    });
  });

  it('encodeInvokeComplete writes only the members it is given, in the modeled order', () => {
    const body = (bytes: Uint8Array) => Buffer.from(decodeMessage(bytes).body).toString();
    expect(body(encodeInvokeComplete({ LogResult: 'bG9n', ErrorCode: 'E' }))).toBe(
      '{"ErrorCode":"E","LogResult":"bG9n"}',
    );
    expect(body(encodeInvokeComplete({ ErrorDetails: 'd' }))).toBe('{"ErrorDetails":"d"}');
  });

  it('encodePayloadChunkParts(prefix + payload + suffix) is the same message as encodePayloadChunk, for sizes 0 to 64 KiB', () => {
    for (const size of [0, 1, 7, 1024, 65536]) {
      const payload = Buffer.alloc(size, size % 251);
      const { prefix, suffix } = encodePayloadChunkParts(payload);
      const joined = Buffer.concat([prefix, payload, suffix]);
      expect(joined.equals(Buffer.from(encodePayloadChunk(payload)))).toBe(true);
      expect(Buffer.from(decodeMessage(joined).body).equals(payload)).toBe(true);
    }
  });

  it('encodeMessage round-trips every header type through decodeMessage and the codec', () => {
    const message = {
      headers: {
        t: { type: 'boolean', value: true },
        f: { type: 'boolean', value: false },
        b: { type: 'byte', value: -128 },
        s: { type: 'short', value: -32768 },
        i: { type: 'integer', value: -2147483648 },
        l: { type: 'long', value: -9223372036854775808n },
        bin: { type: 'binary', value: new Uint8Array([0, 255, 7]) },
        str: { type: 'string', value: 'héllo ✓' },
        ts: { type: 'timestamp', value: new Date(-1) },
        id: { type: 'uuid', value: '01020304-0506-0708-090a-0b0c0d0e0f10' },
      },
      body: new Uint8Array([1, 2, 3]),
    } as const;
    const bytes = encodeMessage(message);
    expect(Buffer.from(bytes).equals(Buffer.from(codecEncodeMessage(message)))).toBe(true);
    const decoded = decodeMessage(bytes);
    expect({ ...decoded.headers }).toEqual(message.headers);
    expect(Array.from(decoded.body)).toEqual([1, 2, 3]);
  });

  it('refuses header names over 255 bytes and string values over 32767 bytes instead of wrapping the length', () => {
    const long = (n: number) => 'a'.repeat(n);
    expect(() =>
      encodeMessage({ headers: { [long(256)]: { type: 'boolean', value: true } }, body: new Uint8Array() }),
    ).toThrow(StreamError);
    expect(() =>
      encodeMessage({ headers: { h: { type: 'string', value: long(32768) } }, body: new Uint8Array() }),
    ).toThrow(StreamError);
  });
});
