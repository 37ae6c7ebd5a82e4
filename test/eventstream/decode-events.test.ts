import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { StreamError } from '../../src/errors.js';
import { crc32 } from '../../src/eventstream/crc32.js';
import { decodeEvents } from '../../src/eventstream/decode-events.js';
import { encodeError, encodeException } from '../../src/eventstream/encode-exception.js';
import { encodeMessage } from '../../src/eventstream/encode-message.js';
import type { MessageHeaders } from '../../src/eventstream/message-types.js';
import type { MessageInfo, StreamEvent } from '../../src/eventstream/stream-event.js';
import { LAMBDA_RESPONSE_EVENTS } from '../support/lambda-events.js';

async function* feed(chunks: Iterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield c;
}

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Events in a comparable form (payloads as text). */
type Seen = { kind: 'chunk'; text: string } | Exclude<StreamEvent, { kind: 'chunk' }>;

async function run(
  source: AsyncIterable<Uint8Array>,
  onMessage?: (info: MessageInfo) => void,
): Promise<Seen[]> {
  const out: Seen[] = [];
  const options = onMessage ? { onMessage } : {};
  for await (const event of decodeEvents(source, LAMBDA_RESPONSE_EVENTS, options)) {
    out.push(event.kind === 'chunk' ? { kind: 'chunk', text: Buffer.from(event.payload).toString() } : event);
  }
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

const str = (value: string) => ({ type: 'string', value }) as const;
const event = (eventType: string, body: string, extra: MessageHeaders = {}) =>
  encodeMessage({
    headers: { ':event-type': str(eventType), ':message-type': str('event'), ...extra },
    body: Buffer.from(body),
  });

const happy = Buffer.concat([
  encodePayloadChunk(Buffer.from('Hello, ')),
  encodePayloadChunk(Buffer.from('wörld')),
  encodeInvokeComplete({}),
]);

describe('decodeEvents', () => {
  it.each([1, 2, 3, 7, 13, happy.length])(
    'yields chunks then complete when the body arrives %i bytes per read',
    async (size) => {
      expect(await run(feed(split(happy, size)))).toEqual([
        { kind: 'chunk', text: 'Hello, ' },
        { kind: 'chunk', text: 'wörld' },
        { kind: 'complete' },
      ]);
    },
  );

  it('maps the complete event members named by the definition (function error with tail log)', async () => {
    const log = Buffer.from('START\nboom\nEND\n').toString('base64');
    const body = Buffer.concat([
      encodePayloadChunk(Buffer.from('partial')),
      encodeInvokeComplete({ ErrorCode: 'Unhandled', ErrorDetails: 'boom', LogResult: log }),
    ]);
    expect(await run(feed([body]))).toEqual([
      { kind: 'chunk', text: 'partial' },
      { kind: 'complete', errorCode: 'Unhandled', errorDetails: 'boom', logResult: log },
    ]);
  });

  it('uses the field and event names of the definition, not hard-coded Lambda names', async () => {
    const events = {
      chunkEventType: 'Data',
      completeEventType: 'Done',
      errorCodeField: 'code',
      errorDetailsField: 'details',
      logResultField: 'log',
      unknownEvents: 'ignore' as const,
    };
    const body = Buffer.concat([
      event('Data', 'x'),
      event('PayloadChunk', 'ignored'),
      event('Done', '{"code":"E","log":"bA=="}'),
    ]);
    const out: StreamEvent[] = [];
    for await (const e of decodeEvents(feed([body]), events)) out.push(e);
    expect(out).toEqual([
      { kind: 'chunk', payload: expect.anything() },
      { kind: 'complete', errorCode: 'E', logResult: 'bA==' },
    ]);
  });

  it('treats an empty complete body as {} and drops members that are not strings', async () => {
    expect(await run(feed([event('InvokeComplete', '')]))).toEqual([{ kind: 'complete' }]);
    expect(await run(feed([event('InvokeComplete', '{"ErrorCode":7,"ErrorDetails":"d"}')]))).toEqual([
      { kind: 'complete', errorDetails: 'd' },
    ]);
  });

  it('rejects a complete body that is not a JSON object as STREAM_MALFORMED', async () => {
    for (const body of ['{', '[]', 'null', '"x"']) {
      expect((await failure(() => run(feed([event('InvokeComplete', body)])))).code).toBe('STREAM_MALFORMED');
    }
  });

  it('skips unknown event types and reports them to onMessage', async () => {
    const seen: Array<Omit<MessageInfo, 'headers' | 'payload'>> = [];
    const body = Buffer.concat([
      event('FutureEvent', '{"a":1}'),
      encodePayloadChunk(Buffer.from('x')),
      encodeInvokeComplete(),
    ]);
    const events = await run(feed([body]), ({ messageType, eventType, role, size }) =>
      seen.push({ messageType, eventType, role, size }),
    );
    expect(events).toEqual([{ kind: 'chunk', text: 'x' }, { kind: 'complete' }]);
    expect(seen).toEqual([
      {
        messageType: 'event',
        eventType: 'FutureEvent',
        role: 'other',
        size: event('FutureEvent', '{"a":1}').length,
      },
      { messageType: 'event', eventType: 'PayloadChunk', role: 'chunk', size: 107 },
      { messageType: 'event', eventType: 'InvokeComplete', role: 'complete', size: 102 },
    ]);
  });

  it('refuses an unknown event type when the definition says unknownEvents: error', async () => {
    const body = Buffer.concat([encodePayloadChunk(Buffer.from('x')), event('FutureEvent', '{}')]);
    const strict = { ...LAMBDA_RESPONSE_EVENTS, unknownEvents: 'error' as const };
    const out: StreamEvent[] = [];
    const failure = await (async () => {
      for await (const e of decodeEvents(feed([body]), strict)) out.push(e);
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(out).toHaveLength(1);
    expect(failure).toMatchObject({ code: 'STREAM_MALFORMED', details: { eventType: 'FutureEvent' } });
  });

  it('turns an exception message into STREAM_EXCEPTION with its type and body text, after the chunks before it', async () => {
    const body = Buffer.concat([
      encodePayloadChunk(Buffer.from('a')),
      encodeException('ServiceException', '{"message":"boom"}'),
    ]);
    const out: StreamEvent[] = [];
    const error = await failure(async () => {
      for await (const e of decodeEvents(feed([body]), LAMBDA_RESPONSE_EVENTS)) out.push(e);
    });
    expect(out.length).toBe(1);
    expect(error.code).toBe('STREAM_EXCEPTION');
    expect(error.details).toEqual({ exceptionType: 'ServiceException', message: '{"message":"boom"}' });
  });

  it('bounds the text of a huge exception body', async () => {
    const error = await failure(() => run(feed([encodeException('ServiceException', 'x'.repeat(100_000))])));
    expect(String(error.details?.message).length).toBeLessThan(5000);
  });

  it('turns an error message into STREAM_EXCEPTION with :error-code and :error-message', async () => {
    const error = await failure(() => run(feed([encodeError('InternalFailure', 'try later')])));
    expect(error.code).toBe('STREAM_EXCEPTION');
    expect(error.details).toEqual({ exceptionType: 'InternalFailure', message: 'try later' });
  });

  it('rejects a message without :message-type, or with an unknown one, as STREAM_MALFORMED', async () => {
    const noType = encodeMessage({ headers: { ':event-type': str('PayloadChunk') }, body: Buffer.from('x') });
    expect((await failure(() => run(feed([noType])))).code).toBe('STREAM_MALFORMED');
    const wrongType = encodeMessage({
      headers: { ':message-type': { type: 'integer', value: 1 } },
      body: Buffer.alloc(0),
    });
    expect((await failure(() => run(feed([wrongType])))).code).toBe('STREAM_MALFORMED');
    const unknown = encodeMessage({ headers: { ':message-type': str('gossip') }, body: Buffer.alloc(0) });
    expect((await failure(() => run(feed([unknown])))).code).toBe('STREAM_MALFORMED');
  });

  it('fails with STREAM_INCOMPLETE when the body ends cleanly without the complete event, even with no message at all', async () => {
    expect((await failure(() => run(feed([encodePayloadChunk(Buffer.from('x'))])))).code).toBe(
      'STREAM_INCOMPLETE',
    );
    expect((await failure(() => run(feed([])))).code).toBe('STREAM_INCOMPLETE');
  });

  it('fails with STREAM_TRUNCATED when the body ends inside a message', async () => {
    expect((await failure(() => run(feed([happy.subarray(0, happy.length - 1)])))).code).toBe(
      'STREAM_TRUNCATED',
    );
  });

  it('fails with STREAM_CHECKSUM on a flipped payload byte and yields nothing of that message', async () => {
    const corrupt = Buffer.from(happy);
    corrupt[110] = corrupt[110]! ^ 1;
    const out: StreamEvent[] = [];
    const error = await failure(async () => {
      for await (const e of decodeEvents(feed([corrupt]), LAMBDA_RESPONSE_EVENTS)) out.push(e);
    });
    expect(error.code).toBe('STREAM_CHECKSUM');
    expect(out).toEqual([]);
  });

  it('rejects duplicate or unknown-type headers as STREAM_MALFORMED', async () => {
    const dup = Buffer.from(
      encodeMessage({
        headers: { ':message-type': str('event'), ':xessage-type': str('event') },
        body: Buffer.alloc(0),
      }),
    );
    // Rename the second header to the first one's name, then fix both CRCs so only the duplicate is wrong.
    dup.write(':message-type', dup.indexOf(':xessage-type'));
    dup.writeUInt32BE(crc32(dup.subarray(0, dup.length - 4)), dup.length - 4);
    expect((await failure(() => run(feed([dup])))).code).toBe('STREAM_MALFORMED');

    const badType = Buffer.from(
      encodeMessage({ headers: { ':message-type': str('event') }, body: Buffer.alloc(0) }),
    );
    badType[12 + 1 + 13] = 42;
    badType.writeUInt32BE(crc32(badType.subarray(0, badType.length - 4)), badType.length - 4);
    expect((await failure(() => run(feed([badType])))).code).toBe('STREAM_MALFORMED');
  });

  it('ignores whatever follows the complete event, including garbage, and still reads the source to its end', async () => {
    let drained = false;
    async function* source(): AsyncIterable<Uint8Array> {
      yield happy;
      yield encodePayloadChunk(Buffer.from('late'));
      yield Buffer.from('not an event stream');
      drained = true;
    }
    expect(await run(source())).toEqual([
      { kind: 'chunk', text: 'Hello, ' },
      { kind: 'chunk', text: 'wörld' },
      { kind: 'complete' },
    ]);
    expect(drained).toBe(true);
  });

  it('decodes a response read from a real node:http server that writes messages in odd-sized pieces', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => `line ${i}\n`);
    const body = Buffer.concat([
      ...chunks.map((c) => encodePayloadChunk(Buffer.from(c))),
      encodeInvokeComplete({}),
    ]);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      let at = 0;
      let step = 1;
      const writeSome = (): void => {
        if (at >= body.length) {
          res.end();
          return;
        }
        res.write(body.subarray(at, at + step));
        at += step;
        step = (step * 5 + 1) % 61;
        setImmediate(writeSome);
      };
      writeSome();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, resolve).on('error', reject).end();
      });
      const events = await run(response);
      expect(events).toEqual([...chunks.map((text) => ({ kind: 'chunk', text })), { kind: 'complete' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('decodeEvents header-block reuse', () => {
  it('does not reuse the previous headers when a same-length header block differs in one byte', async () => {
    // PayloadChunX has the length of PayloadChunk, so only a byte comparison tells the blocks apart.
    const body = Buffer.concat([
      encodePayloadChunk(Buffer.from('a')),
      event('PayloadChunX', 'skipped', { ':content-type': str('application/octet-stream') }),
      encodePayloadChunk(Buffer.from('b')),
      encodeInvokeComplete(),
    ]);
    const types: string[] = [];
    const events = await run(feed(split(body, 7)), (info) => types.push(info.eventType));
    expect(events).toEqual([
      { kind: 'chunk', text: 'a' },
      { kind: 'chunk', text: 'b' },
      { kind: 'complete' },
    ]);
    expect(types).toEqual(['PayloadChunk', 'PayloadChunX', 'PayloadChunk', 'InvokeComplete']);
  });

  it('hands onMessage frozen headers once a map is shared, so one observer cannot change it for others', async () => {
    const seen: MessageInfo[] = [];
    const body = Buffer.concat([
      encodePayloadChunk(Buffer.from('a')),
      encodePayloadChunk(Buffer.from('b')),
      encodePayloadChunk(Buffer.from('c')),
      encodeInvokeComplete({}),
    ]);
    await run(feed([body]), (info) => seen.push(info));
    // The first message's map is its own (not shared, so not frozen: no cost for a one-chunk call);
    // from the second sight of the same header block on, one frozen map is handed out.
    expect(seen[0]!.headers).not.toBe(seen[1]!.headers);
    expect(seen[1]!.headers).toBe(seen[2]!.headers);
    expect(Object.isFrozen(seen[1]!.headers)).toBe(true);
    expect(seen[1]!.headers[':event-type']).toEqual({ type: 'string', value: 'PayloadChunk' });
    expect(() => {
      (seen[1]!.headers as MessageHeaders)[':event-type'] = str('Other');
    }).toThrow(TypeError);
    expect(seen[2]!.headers[':event-type']).toEqual({ type: 'string', value: 'PayloadChunk' });
  });
});
