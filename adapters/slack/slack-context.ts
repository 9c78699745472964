import type { webApi } from "@slack/bolt";
import type { Dispatcher } from "undici";
import type { Job } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import type { MediaHost } from "../../src/media/index.ts";
import type { ChatMetrics } from "../../src/observability/chat-metrics.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import type { SlackTeam } from "./slack-installations.ts";
import type { SlackMemory } from "./slack-memory.ts";
import { type SlackWorkspace, type SlackWorkspaces, teamOfOrigin } from "./slack-workspaces.ts";

export const platform = "slack";

/** Who the bot is in the workspace, learned from `auth.test` at start. */
export interface SlackIdentity {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

/** The identity an `auth.test` answer gives. */
export function identityOf(auth: {
  user_id?: string | undefined;
  bot_id?: string | undefined;
  team_id?: string | undefined;
}): SlackIdentity {
  return {
    ...(auth.user_id ? { botUserId: auth.user_id } : {}),
    ...(auth.bot_id ? { botId: auth.bot_id } : {}),
    ...(auth.team_id ? { teamId: auth.team_id } : {}),
  };
}

/** How private Slack files are fetched: only from these origins, with the bot token. */
export interface SlackFileAccess {
  botToken: string;
  /** e.g. https://files.slack.com (plus the fake's origin in tests). */
  origins: readonly string[];
  /**
   * The guarded agent file downloads and uploads go through (public addresses, or these
   * origins); the adapter always sets one.
   */
  dispatcher?: Dispatcher;
}

/** What the adapter's parts share; `client`, `identity` and `files` are those of one workspace. */
export interface SlackContext {
  readonly client: webApi.WebClient;
  /** Every workspace's client: `inWorkspace` and `forJob` scope a context to one. */
  readonly workspaces: SlackWorkspaces;
  /** The workspace this context calls into (empty with a single token); origins record its enterprise. */
  readonly team: SlackTeam;
  readonly service: GenerationServicePort;
  readonly logger: Logger;
  readonly memory: SlackMemory;
  readonly identity: SlackIdentity;
  readonly files: SlackFileAccess;
  readonly mediaHost: MediaHost | undefined;
  readonly now: () => number;
  /** When this process's adapter was made: a job older than that may have a card it never stored. */
  readonly startedAt: number;
  /** The largest file Slack takes here (bytes). */
  readonly uploadLimitBytes: number;
  readonly metrics: ChatMetrics;
  /**
   * The bot's own link for a video Slack will not take as a file, and when it stops working;
   * without one, the provider's result URL is shared.
   */
  readonly videoLink: (job: Job) => Promise<{ url: string; expiresAt?: number } | undefined>;
  /** A link Slack can fetch the job's poster frame from; undefined when the bot is not public. */
  readonly posterLink: (job: Job) => Promise<string | undefined>;
}

/** The context for calls into one workspace: its client, bot identity and file access. */
export function inWorkspace(context: SlackContext, workspace: SlackWorkspace): SlackContext {
  return {
    ...context,
    client: workspace.client,
    identity: workspace.identity,
    files: workspace.files,
    team: workspace.team,
  };
}

/** The context for a job's own workspace (its origin's team), for calls the core starts. */
export async function forJob(
  context: SlackContext,
  origin: Pick<Job["origin"], "spaceId" | "enterpriseId">,
): Promise<SlackContext> {
  return inWorkspace(context, await context.workspaces.forTeam(teamOfOrigin(origin)));
}
