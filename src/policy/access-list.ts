import type { JobOrigin } from "../jobs/job.ts";

/** Ids as the operator wrote them: "123" matches on any platform, "discord:123" on Discord only. */
export interface AccessRules {
  allowedUsers: readonly string[];
  deniedUsers: readonly string[];
  allowedChannels: readonly string[];
  deniedChannels: readonly string[];
  allowedRoles: readonly string[];
  deniedRoles: readonly string[];
}

export const openAccess: AccessRules = {
  allowedUsers: [],
  deniedUsers: [],
  allowedChannels: [],
  deniedChannels: [],
  allowedRoles: [],
  deniedRoles: [],
};

function matches(entries: readonly string[], platform: string, ids: readonly string[]): boolean {
  return entries.some((entry) => ids.some((id) => entry === id || entry === `${platform}:${id}`));
}

/** Why this origin may not generate, or undefined when it may. Deny lists win over allow lists. */
export function accessRefusal(rules: AccessRules, origin: JobOrigin): string | undefined {
  const { platform } = origin;
  const channels = [origin.channelId, ...(origin.threadId ? [origin.threadId] : [])];
  const roles = origin.roles ?? [];
  if (matches(rules.deniedUsers, platform, [origin.userId])) {
    return "You are not allowed to generate videos with this bot; ask its operator if that is a mistake.";
  }
  if (matches(rules.deniedChannels, platform, channels)) {
    return "Video generation is turned off in this channel; try another channel.";
  }
  if (matches(rules.deniedRoles, platform, roles)) {
    return "One of your roles is not allowed to generate videos here; ask a moderator.";
  }
  if (rules.allowedUsers.length + rules.allowedRoles.length > 0) {
    const allowed =
      matches(rules.allowedUsers, platform, [origin.userId]) ||
      matches(rules.allowedRoles, platform, roles);
    if (!allowed)
      return "Only approved users and roles can generate videos here; ask a moderator for access.";
  }
  if (rules.allowedChannels.length > 0 && !matches(rules.allowedChannels, platform, channels)) {
    return "Video generation is not enabled in this channel; ask a moderator which channels allow it.";
  }
  return undefined;
}
