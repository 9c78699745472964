import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { buildConnector } from "undici";
import { UrlPolicyError } from "./http-errors.ts";
import { isPublicAddress } from "./public-address.ts";

export interface OutboundGuardOptions {
  /**
   * Hosts that may be on any address, as `hostname` (any port) or `hostname:port`: the provider's
   * own API, the platforms' file hosts, OUTBOUND_ALLOWED_HOSTS. Everything else must resolve to
   * public addresses only.
   */
  trustedHosts?: Iterable<string>;
  /** Name resolution; `dns.lookup` unless a test maps names itself. */
  lookup?: LookupFunction;
}

/** A host we refuse to reach: it is, or resolves to, a loopback, private or link-local address. */
export class BlockedAddressError extends UrlPolicyError {
  readonly host: string;

  constructor(host: string, address: string) {
    const what = host === address ? host : `${host} (it resolves to ${address})`;
    super(`Refused to connect to ${what}: a private or local address.`, "BLOCKED_ADDRESS");
    this.name = "BlockedAddressError";
    this.host = host;
  }
}

const unbracketed = (hostname: string) => hostname.replace(/^\[|\]$/g, "").toLowerCase();

/** A trusted-host entry (`host`, `host:port` or a URL) as the guard keeps it. */
export function trustedHostEntry(value: string): string {
  if (value.includes("://")) {
    const url = new URL(value);
    return `${unbracketed(url.hostname)}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  }
  const url = new URL(`http://${value}`);
  return url.port ? `${unbracketed(url.hostname)}:${url.port}` : unbracketed(url.hostname);
}

/**
 * Keeps outbound connections on public addresses. The check runs on the address a name resolves
 * to, when the socket connects (so a DNS answer that changes between a check and the connection
 * cannot slip through), on every hop of a redirect, and on every new connection of a pool.
 */
export class OutboundGuard {
  readonly #trusted: Set<string>;
  readonly #lookup: LookupFunction;

  constructor(options: OutboundGuardOptions = {}) {
    this.#trusted = new Set([...(options.trustedHosts ?? [])].map(trustedHostEntry));
    this.#lookup = options.lookup ?? (dnsLookup as LookupFunction);
  }

  /** A copy that also trusts `hosts`. */
  trusting(hosts: Iterable<string>): OutboundGuard {
    return new OutboundGuard({
      trustedHosts: [...this.#trusted, ...[...hosts].map(trustedHostEntry)],
      lookup: this.#lookup,
    });
  }

  isTrusted(hostname: string, port: string | number): boolean {
    const name = unbracketed(hostname);
    return this.#trusted.has(name) || this.#trusted.has(`${name}:${port}`);
  }

  /** Resolves the URL's host now and throws BlockedAddressError unless every address is public. */
  async check(url: URL): Promise<void> {
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    if (this.isTrusted(url.hostname, port)) return;
    const hostname = unbracketed(url.hostname);
    if (isIP(hostname)) {
      if (!isPublicAddress(hostname)) throw new BlockedAddressError(hostname, hostname);
      return;
    }
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) => {
      this.#lookup(hostname, { all: true }, (error, found) =>
        error ? reject(error) : resolve(found as unknown as LookupAddress[]),
      );
    });
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    if (blocked) throw new BlockedAddressError(hostname, blocked.address);
  }

  /** `lookup` for net/tls.connect that answers only with public addresses. */
  readonly guardedLookup: LookupFunction = (hostname, options, callback) => {
    this.#lookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, "", 0);
      const addresses = found as unknown as LookupAddress[];
      const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), "", 0);
      if (options.all) return callback(null, addresses as unknown as string, 0);
      const first = addresses[0];
      if (!first)
        return callback(
          Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }),
          "",
          0,
        );
      return callback(null, first.address, first.family);
    });
  };

  /** An undici `connect` that applies the guard; trusted hosts connect as usual. */
  connector(options: buildConnector.BuildOptions = {}): buildConnector.connector {
    const plain = buildConnector(options);
    const guarded = buildConnector({
      ...options,
      lookup: this.guardedLookup,
    } as buildConnector.BuildOptions);
    return (target, callback) => {
      const port = target.port || (target.protocol === "https:" ? "443" : "80");
      if (this.isTrusted(target.hostname, port)) return plain(target, callback);
      const hostname = unbracketed(target.hostname);
      // A literal address is never looked up, so it is checked here.
      if (isIP(hostname) && !isPublicAddress(hostname)) {
        queueMicrotask(() => callback(new BlockedAddressError(hostname, hostname), null));
        return;
      }
      return guarded(target, callback);
    };
  }
}
