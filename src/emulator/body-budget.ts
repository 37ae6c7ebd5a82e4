/**
 * A cap on the request-body bytes the emulator buffers across all connections at once. Bodies are
 * read before the signature can be checked, so without it unauthenticated clients sending slowly
 * could make the emulator hold a full 6 MB per connection. A declared `Content-Length` is reserved
 * whole from the headers (refused at once when it does not fit); a chunked body reserves as it comes.
 */

/** Default cap: room for ten maximum-size bodies at once. */
export const DEFAULT_BODY_BUDGET_BYTES = 64 * 1024 * 1024;

export class BodyBudget {
  private used = 0;
  private readonly limit: number;

  constructor(limit: number = DEFAULT_BODY_BUDGET_BYTES) {
    this.limit = limit;
  }

  /**
   * Take `bytes` from the budget; false (nothing taken) when they do not fit.
   * @example
   * if (!budget.reserve(declared)) refuse429();
   */
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Give `bytes` back. */
  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
