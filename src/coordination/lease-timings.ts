/** How a renewable lease is held: it lapses after `ttlMs` unless renewed every `renewMs`; others retry every `retryMs`. */
export interface LeaseTimings {
  ttlMs: number;
  renewMs: number;
  retryMs: number;
}

/** Takeover within 15 s of a holder's death: a lease lapses after 10 s, and standbys look every 2 s. */
export const defaultLeaseTimings: LeaseTimings = { ttlMs: 10_000, renewMs: 3_000, retryMs: 2_000 };

export function assertLeaseTimings(timings: LeaseTimings): void {
  if (timings.renewMs >= timings.ttlMs) {
    throw new RangeError(
      `renewMs ${timings.renewMs} must be below ttlMs ${timings.ttlMs}, or the lease lapses between renewals.`,
    );
  }
}
