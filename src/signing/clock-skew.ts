/** A difference between our clock and the service's larger than this is skew (SigV4 allows 5 minutes). */
export const MAX_SKEW_MS = 5 * 60_000;

const SKEW_TYPES = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture']);

/** The facts of an error answer needed to recognise clock skew. */
export interface SkewFacts {
  statusCode: number;
  awsErrorType?: string | undefined;
  awsMessage?: string | undefined;
  /** The response's `Date` header. */
  serverDate?: string | undefined;
}

/**
 * The service's clock offset (server time − local time) when the answer says our clock is off,
 * else `undefined`. Recognised: `InvalidSignatureException` "Signature expired",
 * `RequestTimeTooSkewed`, `RequestExpired`, and any 403 whose `Date` is > 5 minutes away.
 * @example
 * skewOffset({ statusCode: 403, awsErrorType: 'RequestExpired', serverDate: 'Tue, 01 Jan 2030 00:00:00 GMT' }, Date.now())
 */
export function skewOffset(facts: SkewFacts, localNowMs: number): number | undefined {
  if (facts.serverDate === undefined) return undefined;
  const serverMs = Date.parse(facts.serverDate);
  if (Number.isNaN(serverMs)) return undefined;
  const offset = serverMs - localNowMs;
  const type = facts.awsErrorType ?? '';
  const named =
    SKEW_TYPES.has(type) ||
    (type === 'InvalidSignatureException' && /signature expired/i.test(facts.awsMessage ?? ''));
  const farOff403 = facts.statusCode === 403 && Math.abs(offset) > MAX_SKEW_MS;
  return named || farOff403 ? offset : undefined;
}

/**
 * Clock offsets learned per endpoint origin, so later calls sign with the service's time.
 * @example
 * const clocks = new ClockOffsets(); clocks.set('https://lambda.us-east-1.amazonaws.com', 600_000)
 */
export class ClockOffsets {
  private readonly offsets = new Map<string, number>();
  get(origin: string): number {
    return this.offsets.get(origin) ?? 0;
  }
  set(origin: string, offsetMs: number): void {
    this.offsets.set(origin, offsetMs);
  }
}
