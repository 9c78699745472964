import type { UsageScope } from "../../commands/index.ts";
import { adminsOnly, usageText, usageView } from "../../src/chat/usage-summary.ts";
import type { SlackUser } from "./origins.ts";
import { platform, type SlackContext } from "./slack-context.ts";

/** Workspace admins and owners (from `users.info`) may see the whole workspace's usage. */
export async function isWorkspaceAdmin(context: SlackContext, userId: string): Promise<boolean> {
  const answer = await context.client.users.info({ user: userId });
  const user = answer.user;
  return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
}

/** `/usage`: the user's own spend today, or (for workspace admins) the whole workspace's. */
export async function usageReply(
  context: SlackContext,
  scope: UsageScope,
  user: SlackUser,
  teamId: string | undefined,
): Promise<string> {
  if (scope === "server" && !(await isWorkspaceAdmin(context, user.id))) {
    return adminsOnly("workspace", "workspace admins and owners");
  }
  const view = await usageView(
    context.service,
    {
      platform,
      userId: user.id,
      spaceId: teamId,
      scope: scope === "server" ? "space" : "user",
      spaceName: "workspace",
    },
    context.now(),
  );
  return usageText(view, (text) => `*${text}*`);
}
