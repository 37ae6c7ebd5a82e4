/**
 * Hands out the items of an async source of batches one at a time. An item already at hand costs a
 * resolved promise; only an empty hand waits on the source. A stream that yields one event per
 * payload chunk from an async generator pays a generator round trip per chunk; batching the chunks of
 * one socket read and flattening them here makes that one round trip per read.
 *
 * The source is asked for its next batch only once every item of the current one has been handed out,
 * so the source runs on exactly when the consumer has taken everything it produced so far (its count of
 * delivered items stays exact). Calls made without awaiting the previous one are served in order;
 * `return()` closes the source (running its `finally`), `throw()` is passed to it. `taken` is a batch
 * already taken from the source (to peek at its first one), handed out first. Items are cleared from the
 * batch arrays as they are handed out, so nothing here keeps alive what the consumer has dropped.
 * @example
 * async function* batches() { yield [1, 2]; yield [3]; }
 * for await (const n of flattenBatches(batches())) console.log(n); // 1, 2, 3
 */
export function flattenBatches<T>(
  source: AsyncGenerator<T[], void, undefined>,
  taken: T[] = [],
): AsyncGenerator<T, void, undefined> {
  return new BatchFlattener(source, taken);
}

class BatchFlattener<T> implements AsyncGenerator<T, void, undefined> {
  private at = 0;
  private done = false;
  /** Settles when the last queued operation has finished; `undefined` when none is in flight. */
  private pending: Promise<void> | undefined;

  constructor(
    private readonly source: AsyncGenerator<T[], void, undefined>,
    private batch: T[],
  ) {}

  next(): Promise<IteratorResult<T, void>> {
    if (this.pending === undefined && this.at < this.batch.length) {
      return Promise.resolve({ done: false, value: this.handOut() });
    }
    return this.serialized(() => this.take());
  }

  return(): Promise<IteratorResult<T, void>> {
    return this.serialized(async () => {
      this.drop();
      if (!this.done) {
        this.done = true;
        await this.source.return(undefined);
      }
      return { done: true, value: undefined };
    });
  }

  throw(error: unknown): Promise<IteratorResult<T, void>> {
    return this.serialized(async () => {
      this.drop();
      if (this.done) throw error;
      return this.accept(await this.settle(() => this.source.throw(error)));
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  private drop(): void {
    this.batch = [];
    this.at = 0;
  }

  /** Runs `op` after every operation queued before it; `pending` is cleared before its promise settles. */
  private async serialized<R>(op: () => Promise<R>): Promise<R> {
    const before = this.pending;
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.pending = mine;
    try {
      if (before !== undefined) await before;
      return await op();
    } finally {
      if (this.pending === mine) this.pending = undefined;
      release();
    }
  }

  /** A step of the source; when it throws, the source has finished. */
  private async settle(step: () => Promise<IteratorResult<T[], void>>): Promise<IteratorResult<T[], void>> {
    try {
      return await step();
    } catch (error) {
      this.done = true;
      throw error;
    }
  }

  /** Takes a batch from the source, and its first item (or keeps pulling past empty batches). */
  private async accept(result: IteratorResult<T[], void>): Promise<IteratorResult<T, void>> {
    if (result.done) {
      this.done = true;
      return { done: true, value: undefined };
    }
    this.batch = result.value;
    this.at = 0;
    return this.take();
  }

  private async take(): Promise<IteratorResult<T, void>> {
    while (this.at >= this.batch.length) {
      if (this.done) return { done: true, value: undefined };
      const result = await this.settle(() => this.source.next());
      if (result.done) {
        this.done = true;
        this.drop();
        return { done: true, value: undefined };
      }
      this.batch = result.value;
      this.at = 0;
    }
    return { done: false, value: this.handOut() };
  }

  /** The next item, no longer held here: an item the consumer has dropped can be collected at once. */
  private handOut(): T {
    const item = this.batch[this.at]!;
    this.batch[this.at++] = undefined as T;
    return item;
  }
}
