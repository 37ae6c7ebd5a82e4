// Streams newline-delimited JSON records, cut into fixed-size chunks so records cross chunk boundaries.
// Payload: { "records"?: number (default 10, max 100000), "chunkBytes"?: number (default 7) }.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const records = Math.min(Math.max(Number.isInteger(event?.records) ? event.records : 10, 0), 100000);
  const chunkBytes = Math.min(
    Math.max(Number.isInteger(event?.chunkBytes) ? event.chunkBytes : 7, 1),
    1 << 20,
  );
  responseStream.setContentType('application/x-ndjson');
  let text = '';
  for (let seq = 0; seq < records; seq += 1) text += `${JSON.stringify({ seq, text: `record ${seq}` })}\n`;
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    const ok = responseStream.write(bytes.subarray(offset, offset + chunkBytes));
    if (!ok) await new Promise((resolve) => responseStream.once('drain', resolve));
  }
  responseStream.end();
});
