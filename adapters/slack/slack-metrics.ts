import type { webApi } from "@slack/bolt";
import { z } from "zod";
import type { ChatMetrics } from "../../src/observability/chat-metrics.ts";
import { platform } from "./slack-context.ts";

const refusalSchema = z.object({ ok: z.literal(false), error: z.string().optional() });

/**
 * The Web API client's fetch (and Bolt's, for response_url), reporting every call that failed: no
 * answer ("network"), an HTTP error ("429", "500"), or Slack's `{ ok: false, error }` by its code.
 */
export function observedFetch(metrics: ChatMetrics): webApi.FetchFunction {
  return async (url, init) => {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      metrics.apiError(platform, "network");
      throw error;
    }
    if (response.status !== 200) {
      metrics.apiError(platform, String(response.status));
    } else if (response.headers.get("content-type")?.includes("application/json")) {
      // Read from a copy in the background: the client reads the original.
      response
        .clone()
        .json()
        .then((body: unknown) => {
          const answer = refusalSchema.safeParse(body);
          if (answer.success) metrics.apiError(platform, answer.data.error ?? "unknown");
        })
        .catch(() => undefined);
    }
    return response;
  };
}

type Acknowledge = (...response: never[]) => Promise<void>;

/** The listener's input with an `ack` that reports how long the event waited for it. */
export function measuredAck<Input extends { ack: Acknowledge }>(
  metrics: ChatMetrics,
  now: () => number,
  input: Input,
): Input {
  const received = now();
  const ack = input.ack as (...response: unknown[]) => Promise<void>;
  const measured = async (...response: unknown[]) => {
    await ack(...response);
    metrics.acknowledged(platform, (now() - received) / 1000);
  };
  return { ...input, ack: measured as Input["ack"] };
}
