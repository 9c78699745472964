/**
 * What instances sharing one store must agree on, behind one narrow port: leases on work, idempotency keys
 * and small shared values, each with a time to live. Every implementation takes the clock it is given
 * (`now()`), so instances must keep their clocks close (NTP) and choose TTLs well above their skew.
 * Expired entries behave as absent at once; `purgeExpired` only reclaims their space.
 */
export interface CoordinationStore {
  /**
   * Takes the named lease for `holder` if nobody holds it, its holder let it expire, or `holder` already
   * holds it (then it is renewed and keeps its token). Undefined while another holder's lease lives.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a lease `holder` still holds; undefined if it expired or was taken meanwhile. */
  renewLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /**
   * Extends every named lease `holder` still holds, in one go (one statement for many job leases); returns
   * the names it extended: a name missing expired or was taken meanwhile.
   */
  renewLeases(names: readonly string[], holder: string, ttlMs: number): Promise<string[]>;
  /** Gives a lease up at once; false if `holder` did not hold it (any more). */
  releaseLease(name: string, holder: string): Promise<boolean>;
  /** Live leases, by name, optionally only one holder's or those whose name starts with `prefix`. */
  listLeases(filter?: LeaseFilter): Promise<Lease[]>;

  /**
   * Claims an idempotency key for `ttlMs`: the first caller gets `{ claimed: true }`; later callers,
   * while the claim lives, get the value the first one recorded.
   */
  claimKey(key: string, value: string, ttlMs: number): Promise<KeyClaim>;

  getValue(key: string): Promise<SharedValue | undefined>;
  /** Sets a value, live forever or for `ttlMs`. */
  setValue(key: string, value: string, options?: ValueOptions): Promise<SharedValue>;
  /**
   * Sets a value only if it is still at `expectedVersion` (as `getValue` or a write returned it), or, with
   * `"absent"`, only if it does not exist (or expired). Undefined when another write came first.
   */
  compareAndSetValue(
    key: string,
    expectedVersion: number | "absent",
    value: string,
    options?: ValueOptions,
  ): Promise<SharedValue | undefined>;

  /** Deletes expired leases, keys and values; returns how many. */
  purgeExpired(): Promise<number>;
  /** True while the store can be read and written. */
  isHealthy(): boolean;
  close(): Promise<void>;
}

export interface Lease {
  name: string;
  holder: string;
  /**
   * The fencing token: greater for each new holding of any lease (never for a renewal), so work done under an
   * older token can be refused.
   */
  token: number;
  /** When the lease lapses unless renewed (ms, on the store's clock). */
  expiresAt: number;
}

export interface LeaseFilter {
  holder?: string;
  prefix?: string;
}

export type KeyClaim =
  | { claimed: true; expiresAt: number }
  | { claimed: false; value: string; expiresAt: number };

export interface SharedValue {
  value: string;
  /** Greater after every write of any value, so a version is never reused (no ABA). */
  version: number;
  /** Undefined: the value lives until overwritten. */
  expiresAt: number | undefined;
}

export interface ValueOptions {
  ttlMs?: number;
}

export interface CoordinationOptions {
  /** The clock for every expiry; defaults to `Date.now`. */
  now?: () => number;
}

/** A TTL must be a whole number of milliseconds above 0. */
export function assertTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs ${ttlMs} must be a whole number of milliseconds above 0.`);
  }
}

export function closedCoordinationError(): Error {
  return new Error("The coordination store is closed.");
}

/** Whether an entry that lapses at `expiresAt` (undefined: never) still lives at `now`. */
export function isLive(expiresAt: number | undefined, now: number): boolean {
  return expiresAt === undefined || expiresAt > now;
}
