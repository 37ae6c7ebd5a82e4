import type { ChunkEvent } from '../generated/output-event.js';

/**
 * The bytes a chunk event carries, whatever its encoding: the `Uint8Array` itself (`bytes`), base64
 * decoded, or the UTF-8 of its text (for a text chunk these are the payload's bytes only where the
 * payload was valid UTF-8; use `base64` or `bytes` for exact bytes).
 * @example
 * for await (const event of invokeStream(input)) if (event.type === 'chunk') file.write(chunkBytes(event));
 */
export function chunkBytes(event: Pick<ChunkEvent, 'encoding' | 'data'>): Uint8Array {
  const { data } = event;
  if (typeof data !== 'string') return data;
  return Buffer.from(data, event.encoding === 'base64' ? 'base64' : 'utf8');
}
