import type { Job, JobOrigin } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import type { Actor, GenerationServicePort } from "../../src/service/generation-service-port.ts";
import type { CardEntry, Entry } from "./entries.ts";
import type { Timeline } from "./timeline.ts";
import type { createUploads } from "./uploads.ts";

export const platform = "playground";
/** The playground has one local user; every holder of the token is that user. */
export const localUser: Actor = { platform, userId: "local", userName: "you" };

/** What the playground's parts share. */
export interface PlaygroundContext {
  readonly service: GenerationServicePort;
  readonly timeline: Timeline;
  readonly uploads: ReturnType<typeof createUploads>;
  readonly logger: Logger;
  readonly now: () => number;
  /** The job's card as the page shows it now (video link and reactions included). */
  card(job: Job): CardEntry;
  react(jobId: string, emoji: string): void;
}

/** An API answer: the HTTP status and the entries it added or changed. */
export interface Answer {
  status: number;
  entries: Entry[];
}

export function originFor(threadId: string, clientRequestId: string): JobOrigin {
  return {
    platform,
    channelId: platform,
    threadId,
    messageId: clientRequestId,
    userId: localUser.userId,
    ...(localUser.userName ? { userName: localUser.userName } : {}),
  };
}
