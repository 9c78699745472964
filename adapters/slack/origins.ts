import type { JobOrigin } from "../../src/jobs/job.ts";
import type { Actor } from "../../src/service/generation-service-port.ts";
import { platform } from "./slack-context.ts";
import type { SlackTeam } from "./slack-installations.ts";

/** Where a request was made and where its answers go. */
export interface SlackPlace {
  teamId?: string | undefined;
  channelId: string;
  /** The thread answers go to; absent for slash commands (their card starts the thread). */
  threadTs?: string | undefined;
  /** The message that asked (a mention). */
  messageTs?: string | undefined;
}

export interface SlackUser {
  id: string;
  name?: string | undefined;
}

/** `team`: the workspace the request came through; its enterprise serves org-wide installs later. */
export function originOf(place: SlackPlace, user: SlackUser, team: SlackTeam = {}): JobOrigin {
  return {
    platform,
    ...(place.teamId ? { spaceId: place.teamId } : {}),
    ...(team.enterpriseId ? { enterpriseId: team.enterpriseId } : {}),
    channelId: place.channelId,
    ...(place.threadTs ? { threadId: place.threadTs } : {}),
    ...(place.messageTs ? { messageId: place.messageTs } : {}),
    userId: user.id,
    ...(user.name ? { userName: user.name } : {}),
  };
}

export function actorOf(user: SlackUser): Actor {
  return { platform, userId: user.id, ...(user.name ? { userName: user.name } : {}) };
}

/** The thread a message belongs to, or the one it starts. */
export function threadOf(message: { ts: string; thread_ts?: string | undefined }): string {
  return message.thread_ts ?? message.ts;
}
