/**
 * Where a chat platform's installations live (Slack workspaces that added the bot through OAuth).
 * The core knows no platform: an installation is a key and a secret document (the platform's own
 * installation, tokens included), which durable stores keep encrypted (`token-cipher.ts`).
 */
export interface InstallationKey {
  /** "slack". */
  platform: string;
  /** The workspace (team) or, for an org-wide install, the enterprise: `team:T…` or `enterprise:E…`. */
  id: string;
}

export interface StoredInstallation extends InstallationKey {
  /** The workspace, when the install is for one. */
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  /** The platform's installation as JSON; it holds the tokens, so it never reaches logs. */
  secret: string;
  /** When it was saved (ms); a re-install replaces it. */
  installedAt: number;
}

export interface InstallationStore {
  /** Saves or replaces the installation under its key. */
  save(installation: StoredInstallation): Promise<void>;
  find(key: InstallationKey): Promise<StoredInstallation | undefined>;
  /** True when there was one to delete. */
  delete(key: InstallationKey): Promise<boolean>;
  /** The keys of one platform's installations, ordered by id. */
  list(platform: string): Promise<InstallationKey[]>;
  close(): Promise<void>;
}

export function closedInstallationStoreError(): Error {
  return new Error("The installation store is closed.");
}

/** The key of a Slack-style installation: the enterprise for an org-wide install, else the team. */
export function installationId(query: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  enterpriseInstall?: boolean | undefined;
}): string {
  if (query.enterpriseInstall && query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  if (query.teamId) return `team:${query.teamId}`;
  if (query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  throw new Error("An installation needs a team or an enterprise id.");
}
