/**
 * lambda-stream-task/emulator: the local Lambda endpoint and what function authors import to write a
 * streaming handler. Beside the core: the core never imports this entry. Named exports only;
 * `test/public-api.test.ts` snapshots this list.
 */

export type { FaultSpec } from './faults.js';
export type { HttpResponsePrelude } from './http-response-stream.js';
export { HttpResponseStream } from './http-response-stream.js';
export type { LambdaContext } from './lambda-context.js';
export type { EmulatorCredentials, EmulatorHandle, EmulatorOptions } from './start-emulator.js';
export { startEmulator } from './start-emulator.js';
export type { LambdaResponseStream, StreamifyOptions, StreamingHandler } from './streamify-response.js';
export { streamifyResponse } from './streamify-response.js';
