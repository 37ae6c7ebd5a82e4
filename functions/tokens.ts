// An LLM-like token stream, written in TypeScript (the emulator compiles it with esbuild on load).
// Payload: { "prompt"?: string, "count"?: number (default 20, max 10000), "delayMs"?: number (default 20) }.
declare const awslambda: {
  streamifyResponse(
    handler: (event: TokensEvent, responseStream: NodeJS.WritableStream, context: unknown) => Promise<void>,
  ): unknown;
};

interface TokensEvent {
  prompt?: string;
  count?: number;
  delayMs?: number;
}

const WORDS = [
  'The',
  ' quick',
  ' model',
  ' streams',
  ' tokens',
  ' as',
  ' soon',
  ' as',
  ' they',
  ' are',
  ' ready',
  '.',
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const count = Math.min(Math.max(Number.isInteger(event?.count) ? (event.count as number) : 20, 0), 10000);
  const delayMs = Math.min(Math.max(Number(event?.delayMs ?? 20), 0), 10000);
  const seed = (event?.prompt ?? '').length;
  console.log(`streaming ${count} tokens`);
  for (let i = 0; i < count; i += 1) {
    if (i > 0 && delayMs > 0) await sleep(delayMs);
    // A caller that went away (cancelled, timed out) closes the stream: stop instead of streaming on.
    if ((responseStream as NodeJS.WritableStream & { destroyed?: boolean }).destroyed) {
      console.log(`stopped after ${i} tokens: the caller went away`);
      return;
    }
    responseStream.write(WORDS[(seed + i) % WORDS.length] as string);
  }
  responseStream.end();
});
