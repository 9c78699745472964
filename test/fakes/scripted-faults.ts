import type { IncomingMessage, ServerResponse } from "node:http";
import { type RecordedRequest, sendJson } from "./fake-oxen-http.ts";

export interface ScriptedFault {
  retryAfter?: string | number;
  body?: unknown;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** Destroy the socket after reading the request. */
  reset?: boolean;
  /** How many matching requests fail; default 1. */
  times?: number;
}

interface PendingFault extends ScriptedFault {
  method: string;
  pattern: string | RegExp;
  status: number;
  remaining: number;
}

/** The faults a fake server was told to play on its next matching requests. */
export class ScriptedFaults {
  readonly #pending: PendingFault[] = [];

  add(method: string, pattern: string | RegExp, status: number, fault: ScriptedFault = {}): void {
    const remaining = fault.times ?? 1;
    this.#pending.push({ ...fault, method: method.toUpperCase(), pattern, status, remaining });
  }

  /** Plays the fault matching this request, if any (`defaultBody` when none was scripted); true when it did. */
  answer(
    recorded: RecordedRequest,
    request: IncomingMessage,
    response: ServerResponse,
    defaultBody: (status: number) => unknown,
  ): boolean {
    const fault = this.#pending.find(
      (candidate) =>
        candidate.method === recorded.method &&
        (typeof candidate.pattern === "string"
          ? candidate.pattern === recorded.pathname
          : candidate.pattern.test(recorded.pathname)),
    );
    if (!fault) return false;
    fault.remaining--;
    if (fault.remaining <= 0) this.#pending.splice(this.#pending.indexOf(fault), 1);
    if (fault.reset) request.socket.destroy();
    if (fault.hang || fault.reset) return true;
    const headers =
      fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
    sendJson(response, fault.status, fault.body ?? defaultBody(fault.status), headers);
    return true;
  }
}
