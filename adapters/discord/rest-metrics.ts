import type { ChatMetrics } from "../../src/observability/chat-metrics.ts";
import type { ResponseObserver } from "./rest-options.ts";
import { platform } from "./to-request.ts";

// The initial response to an interaction: defer, reply, modal, autocomplete choices, update.
const callbackPath = /\/interactions\/(\d+)\/[^/]+\/callback(?:\?|$)/;
/** Interactions not answered within this long never will be (Discord allows 3 s). */
const forgetAfterMs = 60_000;

/**
 * Chat-side metrics seen from the REST layer: every refused or failed call by status, and how long
 * each interaction waited between reaching the bot (`received`) and its answer being accepted.
 */
export function createRestMetrics(metrics: ChatMetrics, now: () => number) {
  const receivedAt = new Map<string, number>();
  const observe: ResponseObserver = (url, status) => {
    if (status === undefined || status >= 400) {
      metrics.apiError(platform, status === undefined ? "network" : String(status));
    }
    const interactionId = callbackPath.exec(url)?.[1];
    if (interactionId === undefined) return;
    if (status !== undefined && status < 400) answered(interactionId);
    else receivedAt.delete(interactionId);
  };
  const answered = (interactionId: string) => {
    const received = receivedAt.get(interactionId);
    if (received === undefined) return;
    receivedAt.delete(interactionId);
    metrics.acknowledged(platform, (now() - received) / 1000);
  };
  return {
    observe,
    /** An answer given as the HTTP response (no REST callback to observe); REST ones are seen above. */
    answered(interactionId: string): void {
      answered(interactionId);
    },
    received(interactionId: string): void {
      const at = now();
      receivedAt.set(interactionId, at);
      // Oldest first (insertion order): drop the ones never answered.
      for (const [id, time] of receivedAt) {
        if (time >= at - forgetAfterMs) break;
        receivedAt.delete(id);
      }
    },
  };
}
