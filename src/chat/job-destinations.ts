import type { JobOrigin } from "../jobs/job.ts";

/**
 * Where a job's status card and video go. `channel`: where it was asked, for everyone there;
 * `requester`: the card is seen by the requester only (an ephemeral reply or message);
 * `direct-message`: the video is posted in a direct message to the requester. Adapters render
 * these; they never decide them.
 */
export interface JobDestinations {
  card: "channel" | "requester";
  video: "channel" | "direct-message";
}

export function destinationsOf(origin: JobOrigin): JobDestinations {
  return origin.private === true
    ? { card: "requester", video: "direct-message" }
    : { card: "channel", video: "channel" };
}
