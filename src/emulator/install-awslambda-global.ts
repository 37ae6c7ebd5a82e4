/**
 * The `awslambda` global of Lambda's Node runtime, installed before any function module loads so
 * code written for Lambda (`awslambda.streamifyResponse(...)` at module top level) runs unchanged.
 */
import { HttpResponseStream } from './http-response-stream.js';
import { streamifyResponse } from './streamify-response.js';

/** What the global offers. */
export interface AwsLambdaGlobal {
  streamifyResponse: typeof streamifyResponse;
  HttpResponseStream: typeof HttpResponseStream;
}

/** Install `globalThis.awslambda` unless a runtime already provides one. */
export function installAwsLambdaGlobal(): void {
  const global = globalThis as { awslambda?: Partial<AwsLambdaGlobal> };
  const existing = global.awslambda;
  if (existing && typeof existing.streamifyResponse === 'function' && existing.HttpResponseStream) return;
  global.awslambda = { ...existing, streamifyResponse, HttpResponseStream };
}
