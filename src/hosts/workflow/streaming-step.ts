import type { OutputEvent } from '../../index.js';
import { chunkBytes, FunctionError } from '../../index.js';
import { taskErrorFromEvent } from './task-error-from-event.js';
import { WorkflowError } from './workflow-error.js';

/** Output of a chunked `lambda-stream` step: its `complete` summary plus the text that streamed through. */
export interface ChunkedStepOutput extends Record<string, unknown> {
  text: string;
  textTruncated: boolean;
}

type ChunkEvent = Extract<OutputEvent, { type: 'chunk' }>;
type CompleteEvent = Extract<OutputEvent, { type: 'complete' }>;
type ErrorEvent = Extract<OutputEvent, { type: 'error' }>;

/**
 * A chunked call in flight. Exactly one place pulls the executor's iterator at a time (the
 * downstream step through {@link chunks}, then {@link finish} for whatever it left), so the
 * downstream step's pace is the socket's pace and nothing is buffered beyond the bounded text.
 */
export class StreamingStep {
  private text = '';
  private textBytes = 0;
  private textTruncated = false;
  private complete: CompleteEvent | undefined;
  private failure: ErrorEvent | undefined;
  private ended = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly iterator: AsyncIterator<OutputEvent>,
    private readonly maxText: number,
  ) {}

  private pull(): Promise<IteratorResult<OutputEvent>> {
    const next = this.queue.then(() =>
      this.ended ? { done: true as const, value: undefined } : this.iterator.next(),
    );
    this.queue = next.catch(() => undefined);
    return next.then((result) => {
      if (result.done) this.ended = true;
      else this.observe(result.value);
      return result;
    });
  }

  private observe(event: OutputEvent): void {
    if (event.type === 'complete') this.complete = event;
    else if (event.type === 'error') this.failure = event;
    else if (event.type === 'chunk' && !this.textTruncated) {
      const piece =
        typeof event.data === 'string' && event.encoding !== 'base64'
          ? event.data
          : this.decoder.decode(chunkBytes(event), { stream: true });
      const bytes = Buffer.byteLength(piece);
      if (this.textBytes + bytes > this.maxText) this.textTruncated = true;
      else {
        this.text += piece;
        this.textBytes += bytes;
      }
    }
  }

  /** The chunk events, pulled on demand; throws the call's error if the stream fails. */
  async *chunks(): AsyncGenerator<ChunkEvent, void, undefined> {
    for (;;) {
      const result = await this.pull();
      if (result.done) return;
      if (result.value.type === 'chunk') yield result.value;
      else if (result.value.type === 'error') throw taskErrorFromEvent(result.value);
    }
  }

  /** Drain what the consumer left, then the step's output (or its error). */
  async finish(): Promise<ChunkedStepOutput> {
    while (!(await this.pull()).done) {
      // draining: observe() records the events
    }
    if (this.failure) throw taskErrorFromEvent(this.failure);
    if (!this.complete)
      throw new WorkflowError('WORKFLOW_STEP_FAILED', 'The stream ended without a complete event');
    const { type: _type, ...summary } = this.complete;
    if (summary.functionError) {
      throw new FunctionError(
        summary.functionError.errorCode,
        summary.functionError.errorDetails,
        summary.logResult,
        {
          chunksDelivered: summary.chunks,
        },
      );
    }
    return { ...summary, text: this.text, textTruncated: this.textTruncated };
  }

  /** Stop the call (the workflow failed elsewhere). */
  async cancel(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.iterator.return?.().catch(() => undefined);
  }
}
