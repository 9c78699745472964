import type {
  InstallationStore as BoltInstallationStore,
  Installation,
  InstallationQuery,
} from "@slack/bolt";
import {
  type InstallationKey,
  type InstallationStore,
  installationId,
} from "../../src/installations/installation-store.ts";
import { platform } from "./slack-context.ts";

/** Which workspace, or org for an org-wide install, a Slack call is for. */
export interface SlackTeam {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  /** An org-wide install: one installation serves every workspace of the enterprise. */
  enterpriseInstall?: boolean | undefined;
}

/** Where a team's installation is kept: the enterprise's for an org-wide install, else the team's own. */
export function installationKeys(team: SlackTeam): InstallationKey[] {
  const own = { platform, id: installationId(team) };
  if (team.enterpriseInstall || !team.enterpriseId || !team.teamId) return [own];
  // A workspace of an org that installed org-wide has no installation of its own.
  return [own, { platform, id: installationId({ enterpriseId: team.enterpriseId }) }];
}

/** Bolt's installation store over the bot's own (embedded or PostgreSQL, sealed at rest). */
export function boltInstallationStore(
  store: InstallationStore,
  now: () => number = Date.now,
): BoltInstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const team = {
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        enterpriseInstall: installation.isEnterpriseInstall,
      };
      await store.save({
        platform,
        id: installationId(team),
        ...(team.enterpriseInstall || !team.teamId ? {} : { teamId: team.teamId }),
        ...(team.enterpriseId ? { enterpriseId: team.enterpriseId } : {}),
        secret: JSON.stringify(installation),
        installedAt: now(),
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await findInstallation(store, teamOfQuery(query));
      if (!found) throw new Error("This Slack workspace has not installed the app.");
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await store.delete({ platform, id: installationId(teamOfQuery(query)) });
    },
  };
}

function teamOfQuery(query: InstallationQuery<boolean>): SlackTeam {
  return {
    teamId: query.teamId,
    enterpriseId: query.enterpriseId,
    enterpriseInstall: query.isEnterpriseInstall,
  };
}

/** The installation that serves a team, or undefined when it never installed (or uninstalled). */
export async function findInstallation(
  store: InstallationStore,
  team: SlackTeam,
): Promise<Installation | undefined> {
  for (const key of installationKeys(team)) {
    const found = await store.find(key);
    if (found) return JSON.parse(found.secret) as Installation;
  }
  return undefined;
}
