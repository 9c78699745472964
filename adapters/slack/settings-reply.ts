import type { Command } from "../../commands/index.ts";
import { settingsOptionValues } from "../../commands/settings.ts";
import { settingsText } from "../../src/chat/settings-summary.ts";
import { spaceSettingFields } from "../../src/settings/space-settings.ts";
import type {
  SpaceSettingsPatch,
  SpaceSettingsView,
} from "../../src/settings/space-settings-service.ts";
import { commandModal } from "./modals.ts";
import type { SlackPlace, SlackUser } from "./origins.ts";
import { platform, type SlackContext } from "./slack-context.ts";
import { isWorkspaceAdmin } from "./usage-reply.ts";

const bold = (text: string) => `*${text}*`;
const editHint = "`/settings edit` opens the form (workspace admins and owners save it).";
export const notInWorkspace = "/settings belongs to a workspace: run it in one of its channels.";

/** `/settings` with nothing typed: the workspace's settings and last changes, for anyone. */
export async function showSettings(context: SlackContext, teamId: string): Promise<string> {
  const view = await context.service.spaceSettings({ platform, spaceId: teamId });
  return `${settingsText(view, "workspace", bold)}\n${editHint}`;
}

/** A saved form: for workspace admins and owners only (`users.info`); the form is the whole set. */
export async function saveSettings(
  context: SlackContext,
  user: SlackUser,
  teamId: string,
  patch: SpaceSettingsPatch,
): Promise<string> {
  if (!(await isWorkspaceAdmin(context, user.id))) {
    return "Only workspace admins and owners can change this workspace's settings; /settings shows them.";
  }
  // Fields left empty in the form go back to the bot's own values.
  const whole: SpaceSettingsPatch = Object.fromEntries(
    spaceSettingFields.map((field) => [field, patch[field] === undefined ? null : patch[field]]),
  );
  const view = await context.service.updateSpaceSettings({ platform, spaceId: teamId }, whole, {
    userId: user.id,
    ...(user.name ? { userName: user.name } : {}),
    isAdmin: true,
  });
  return `Saved.\n${settingsText(view, "workspace", bold)}`;
}

export async function settingsModal(
  context: SlackContext,
  command: Command,
  place: SlackPlace & { teamId: string },
): Promise<ReturnType<typeof commandModal>> {
  const view: SpaceSettingsView = await context.service.spaceSettings({
    platform,
    spaceId: place.teamId,
  });
  return commandModal(command, place, settingsOptionValues(view.settings));
}
