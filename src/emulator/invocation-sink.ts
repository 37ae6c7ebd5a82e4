import type { ResponseSink } from './response-stream.js';

/** Where an instance writes one invocation's output, and how the emulator ends it early. */
export interface InvocationSink extends ResponseSink {
  abort(): void;
}
