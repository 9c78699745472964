import { Agent } from "undici";

export interface HttpAgentOptions {
  connectTimeoutMs?: number;
  /** Longest wait for a response's headers. */
  headersTimeoutMs?: number;
  /** Longest silence between two chunks of a response body. */
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
}

/** A keep-alive connection pool per origin, with every timeout bounded. */
export function createHttpAgent(options: HttpAgentOptions = {}): Agent {
  return new Agent({
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 60_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
    connections: 16,
  });
}
