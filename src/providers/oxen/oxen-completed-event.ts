import type { EventSourceMessage } from "eventsource-parser";
import type { Logger } from "../../logger.ts";
import type { ProviderUpdate } from "../generation-provider.ts";
import { oxenCompletedEventSchema } from "./oxen-schemas.ts";

export const completedEventName = "media_generation_completed";

/**
 * A `media_generation_completed` event as an update; anything else (other event types, data that
 * is not JSON or not the documented shape) is logged without its data and skipped.
 */
export function completedEventUpdate(
  message: EventSourceMessage,
  logger: Logger,
): ProviderUpdate | undefined {
  if (message.event !== completedEventName) {
    logger.debug({ event: message.event ?? "message" }, "ignored an Oxen event of another type");
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    logger.warn({ event: message.event }, "skipped an Oxen event whose data is not JSON");
    return undefined;
  }
  const parsed = oxenCompletedEventSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    logger.warn(
      { event: message.event, issue: issue ? `${issue.path.join(".")}: ${issue.message}` : "" },
      "skipped an Oxen event with unexpected data",
    );
    return undefined;
  }
  const event = parsed.data;
  const update: ProviderUpdate = { providerJobId: event.generation_id, state: event.status };
  if (event.url) update.resultUrl = event.url;
  if (event.error) update.error = event.error;
  logger.debug({ providerJobId: update.providerJobId, state: update.state }, "Oxen event");
  return update;
}
