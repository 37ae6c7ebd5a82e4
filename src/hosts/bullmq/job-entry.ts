/**
 * One event as a job's stream entry, and back. The worker asks the core for `bytes`, so a chunk's
 * bytes go into the entry as they are, a binary field beside the event's JSON (no text is made on the
 * worker); a reader turns them into the encoding the job asked for. Entries written before chunks
 * were binary (the data inside the JSON) read as they always did.
 */
import { StringDecoder } from 'node:string_decoder';
import type { JobEvent } from './job-event.js';

/** An entry's field names and values, as XADD takes them. */
export type EntryFields = Array<string | Buffer>;

type ChunkEvent = Extract<JobEvent, { type: 'chunk' }>;

/** Field names: the event's JSON, a chunk's bytes, and `line` when each chunk is a whole line. */
const EVENT = 'e';
const DATA = 'd';
const FRAMING = 'f';

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The entry of one event. A chunk whose `data` is bytes is stored as a binary field; its `encoding`
 * is the one the job asked for (what readers turn the bytes into).
 * @example
 * entryFields({ type: 'chunk', seq: 0, offset: 0, size: 2, elapsedMs: 1, encoding: 'utf8', data: bytes, attempt: 1 }, 'chunk')
 * // ['e', '{"type":"chunk",…,"encoding":"utf8","attempt":1}', 'd', <Buffer 68 69>]
 */
export function entryFields(event: JobEvent, framing: 'chunk' | 'line'): EntryFields {
  if (event.type !== 'chunk' || typeof event.data === 'string') return [EVENT, JSON.stringify(event)];
  const { data, ...meta } = event;
  const fields: EntryFields = [EVENT, JSON.stringify(meta), DATA, asBuffer(data)];
  if (framing === 'line') fields.push(FRAMING, 'line');
  return fields;
}

function field(fields: readonly Buffer[], name: string): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2)
    if (fields[i]!.toString('latin1') === name) return fields[i + 1];
  return undefined;
}

/** The text decoding of one attempt's chunks, and where its next chunk would start. */
interface AttemptText {
  decoder: StringDecoder;
  nextSeq: number;
  offset: number;
}

/**
 * Reads a stream's entries in order, as events in the encoding the job asked for. Chunk framing in
 * utf8 goes through one streaming decoder per attempt, so a character split across two chunks is
 * whole in the second (as the core's own utf8 chunks are); a dangling partial character at the end
 * becomes one last, zero-size chunk before the `complete`, as the core makes it.
 */
export class EntryReader {
  private readonly text = new Map<number, AttemptText>();

  /**
   * The events of one entry (two when a decoder had a partial character left at the completion).
   * @example
   * for (const [, fields] of await redis.xrangeBuffer(key, '-', '+')) events.push(...reader.read(fields));
   */
  read(fields: readonly Buffer[]): JobEvent[] {
    const event = JSON.parse(field(fields, EVENT)?.toString('utf8') ?? 'null') as JobEvent;
    const data = field(fields, DATA);
    if (event.type === 'chunk' && data !== undefined) {
      const line = field(fields, FRAMING)?.toString('latin1') === 'line';
      return [{ ...event, data: this.decode(event, data, line) }];
    }
    if (event.type !== 'complete') return [event];
    const pending = this.text.get(event.attempt);
    this.text.delete(event.attempt);
    const tail = pending?.decoder.end() ?? '';
    if (pending === undefined || tail === '') return [event];
    const last: ChunkEvent = {
      type: 'chunk',
      seq: pending.nextSeq,
      offset: pending.offset,
      size: 0,
      elapsedMs: event.totalMs,
      encoding: 'utf8',
      data: tail,
      attempt: event.attempt,
    };
    return [last, event];
  }

  private decode(event: ChunkEvent, data: Buffer, line: boolean): string | Buffer {
    if (event.encoding === 'bytes') return data;
    if (event.encoding === 'base64') return data.toString('base64');
    // A line is whole: the core decodes each one on its own.
    if (line) return data.toString('utf8');
    let state = this.text.get(event.attempt);
    if (state === undefined) {
      state = { decoder: new StringDecoder('utf8'), nextSeq: 0, offset: 0 };
      this.text.set(event.attempt, state);
    }
    state.nextSeq = event.seq + 1;
    state.offset = event.offset + event.size;
    return state.decoder.write(data);
  }
}
