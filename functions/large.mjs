// Streams N MiB of a repeating byte pattern (byte i of the response is i % 251), honouring backpressure.
// Payload: { "mib"?: number (default 1, max 1024), "chunkKiB"?: number (default 64, max 4096) }.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const mib = Math.min(Math.max(Number(event?.mib ?? 1), 0), 1024);
  const chunkBytes = Math.min(Math.max(Math.floor(Number(event?.chunkKiB ?? 64) * 1024), 1), 4 << 20);
  const total = Math.floor(mib * 1024 * 1024);
  // 251 is prime, so a chunk size rarely lines up with the pattern: precompute one period-aligned source.
  const source = Buffer.alloc(chunkBytes + 251);
  for (let i = 0; i < source.length; i += 1) source[i] = i % 251;
  for (let offset = 0; offset < total; ) {
    const size = Math.min(chunkBytes, total - offset);
    const start = offset % 251;
    const ok = responseStream.write(source.subarray(start, start + size));
    offset += size;
    if (!ok) await new Promise((resolve) => responseStream.once('drain', resolve));
  }
  responseStream.end();
});
