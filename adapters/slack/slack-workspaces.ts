import { webApi } from "@slack/bolt";
import type { InstallProvider } from "@slack/oauth";
import { PlatformError } from "../../src/errors.ts";
import type { JobOrigin } from "../../src/jobs/job.ts";
import type { SlackFileAccess, SlackIdentity } from "./slack-context.ts";
import type { SlackTeam } from "./slack-installations.ts";

/** What a call into one workspace needs: its client (its token), who the bot is there, file access. */
export interface SlackWorkspace {
  readonly client: webApi.WebClient;
  readonly identity: SlackIdentity;
  readonly files: SlackFileAccess;
  /** The workspace (and enterprise) itself; empty with a single token. */
  readonly team: SlackTeam;
}

/** What Bolt's `authorize` gave a listener: the token and bot of the event's own workspace. */
export interface SlackAuthorization {
  botToken?: string | undefined;
  botUserId?: string | undefined;
  botId?: string | undefined;
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** Finds the workspace a call is for; with OAuth, each from its own installation. */
export interface SlackWorkspaces {
  /** Throws a non-retryable PlatformError when the team has no installation (never installed, or removed). */
  forTeam(team: SlackTeam): Promise<SlackWorkspace>;
  /** The workspace of an event Bolt authorized; the single workspace when there is one token. */
  fromAuthorization(authorization: SlackAuthorization): SlackWorkspace;
  /** Drops what is kept for a team whose installation was removed. */
  forget(team: SlackTeam): void;
}

/** A job's team: the workspace (and enterprise) its origin records. */
export function teamOfOrigin(origin: Pick<JobOrigin, "spaceId" | "enterpriseId">): SlackTeam {
  return { teamId: origin.spaceId, enterpriseId: origin.enterpriseId };
}

export class SlackNotInstalledError extends PlatformError {
  constructor(team: SlackTeam, cause?: unknown) {
    super({
      message: `The app is not installed in Slack workspace ${team.teamId ?? team.enterpriseId ?? "(none named)"} (it was removed, or never added).`,
      platform: "slack",
      retryable: false,
      cause,
    });
  }
}

/** SLACK_BOT_TOKEN: one workspace, whatever team a job names. */
export function singleWorkspace(workspace: SlackWorkspace): SlackWorkspaces {
  return {
    forTeam: async () => workspace,
    fromAuthorization: () => workspace,
    forget: () => {},
  };
}

export interface InstalledWorkspacesOptions {
  installer: InstallProvider;
  clientOptions: webApi.WebClientOptions;
  files: Omit<SlackFileAccess, "botToken">;
}

/**
 * OAuth: each team's token comes from its installation (through the installer's `authorize`, which
 * also refreshes rotating tokens). One client per token, so no workspace's client carries another's.
 */
export function installedWorkspaces(options: InstalledWorkspacesOptions): SlackWorkspaces {
  const clients = new Map<string, webApi.WebClient>();
  const teams = new Map<string, string>();

  function workspaceOf(authorization: SlackAuthorization): SlackWorkspace {
    const token = authorization.botToken;
    if (!token) throw new SlackNotInstalledError({ teamId: authorization.teamId });
    let client = clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, options.clientOptions);
      clients.set(token, client);
    }
    if (authorization.teamId) teams.set(authorization.teamId, token);
    return {
      client,
      identity: {
        ...(authorization.botUserId ? { botUserId: authorization.botUserId } : {}),
        ...(authorization.botId ? { botId: authorization.botId } : {}),
        ...(authorization.teamId ? { teamId: authorization.teamId } : {}),
      },
      files: { ...options.files, botToken: token },
      team: {
        teamId: authorization.teamId,
        enterpriseId: authorization.enterpriseId,
        enterpriseInstall: authorization.isEnterpriseInstall,
      },
    };
  }

  return {
    async forTeam(team) {
      if (!team.teamId && !team.enterpriseId) throw new SlackNotInstalledError(team);
      let authorization: SlackAuthorization;
      try {
        authorization = await options.installer.authorize({
          teamId: team.teamId,
          enterpriseId: team.enterpriseId,
          isEnterpriseInstall: team.enterpriseInstall ?? false,
        });
      } catch (error) {
        throw new SlackNotInstalledError(team, error);
      }
      return workspaceOf({
        ...authorization,
        teamId: team.teamId ?? authorization.teamId,
        isEnterpriseInstall: team.enterpriseInstall,
      });
    },
    fromAuthorization: workspaceOf,
    forget(team) {
      const token = team.teamId ? teams.get(team.teamId) : undefined;
      if (token) clients.delete(token);
      if (team.teamId) teams.delete(team.teamId);
    },
  };
}
