/**
 * `Invoke`'s answer, as the service gives it for any function (a streaming one included): the
 * whole output buffered and sent as one body, up to the 6 MB response limit; a function error as
 * `X-Amz-Function-Error: Unhandled` with the error object as the body; the log tail in
 * `X-Amz-Log-Result`. `Event` is accepted with 202 and run with its output discarded.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import type { FunctionInstance } from './function-instance.js';
import type { Invocation } from './invocation.js';
import { type InvocationSink, runFunction } from './run-function.js';

/** The service's synchronous response limit (6 MB as it counts them: 6,291,556 bytes). */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** Collects the output up to the limit; past it only counts, so memory stays bounded. */
class BufferedBody implements InvocationSink {
  contentType: string | undefined;
  bytes = 0;
  private parts: Buffer[] = [];
  private readonly keep: boolean;

  constructor(keep: boolean) {
    this.keep = keep;
  }

  get tooLarge(): boolean {
    return this.bytes > MAX_RESPONSE_BYTES;
  }

  start(contentType: string | undefined): void {
    this.contentType = contentType;
  }

  writeChunk(bytes: Uint8Array): Promise<void> {
    this.bytes += bytes.length;
    if (this.tooLarge || !this.keep) this.parts = [];
    // A copy: a handler may reuse its buffer once the write is done.
    else this.parts.push(Buffer.from(bytes));
    return Promise.resolve();
  }

  abort(): void {}

  body(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/**
 * Run the invocation and answer with the buffered output.
 * @example
 * await respondBuffered(state, res, call, instance);
 */
export async function respondBuffered(
  state: EmulatorState,
  res: ServerResponse,
  call: Invocation,
  instance: FunctionInstance,
): Promise<void> {
  const event = call.params.invocationType === 'Event';
  if (event) {
    res.writeHead(202, { ...call.extraHeaders, 'x-amzn-RequestId': call.requestId });
    res.end();
  }
  const sink = new BufferedBody(!event);
  const { outcome, logResult } = await runFunction(state, call, instance, sink, res);
  if (event || outcome.kind === 'aborted' || res.destroyed) return;
  const headers: Record<string, string | number> = {
    ...call.extraHeaders,
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': call.version,
    'x-amzn-RequestId': call.requestId,
  };
  if (logResult !== undefined) headers['X-Amz-Log-Result'] = logResult;
  let body: Buffer;
  if (outcome.kind !== 'success') {
    headers['X-Amz-Function-Error'] = 'Unhandled';
    const error: Record<string, unknown> = {
      errorType: outcome.errorType,
      errorMessage: outcome.errorMessage,
    };
    if (outcome.kind === 'error' && outcome.trace) error.trace = outcome.trace;
    body = Buffer.from(JSON.stringify(error), 'utf8');
  } else if (sink.tooLarge) {
    headers['X-Amz-Function-Error'] = 'Unhandled';
    body = Buffer.from(
      JSON.stringify({
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      }),
      'utf8',
    );
  } else {
    body = sink.body();
    if (sink.contentType !== undefined) headers['Content-Type'] = sink.contentType;
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(body);
}
