import { Agent } from "undici";
import { OutboundGuard } from "./outbound-guard.ts";

export interface HttpAgentOptions {
  connectTimeoutMs?: number;
  /** Longest wait for a response's headers. */
  headersTimeoutMs?: number;
  /** Longest silence between two chunks of a response body. */
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** Which addresses connections may go to; by default public ones, plus `trustedHosts`. */
  guard?: OutboundGuard;
  /** Hosts the default guard lets reach any address (the caller's own configured API). */
  trustedHosts?: Iterable<string>;
}

/**
 * A keep-alive connection pool per origin, with every timeout bounded, that connects only to
 * public addresses unless a host is trusted (see `outbound-guard.ts`).
 */
export function createHttpAgent(options: HttpAgentOptions = {}): Agent {
  const guard = options.guard ?? new OutboundGuard({ trustedHosts: options.trustedHosts ?? [] });
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  return new Agent({
    connect: guard.connector({ timeout: connectTimeout }),
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 60_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
    connections: 16,
  });
}
