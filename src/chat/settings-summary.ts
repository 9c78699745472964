import { settingNames } from "../settings/setting-names.ts";
import type { FieldChange, SettingsChangeRecord } from "../settings/space-settings.ts";
import type { SpaceSettingsView } from "../settings/space-settings-service.ts";

// Platform-neutral wording of `/settings`; each adapter makes its title bold its own way.

function channels(list: readonly string[] | undefined): string {
  return list && list.length > 0 ? list.map((id) => `<#${id}>`).join(", ") : "every channel";
}

function seconds(value: number | undefined, none: string): string {
  return value === undefined ? none : `${value} s`;
}

/** How a yes/no setting is said, in `/settings` and in its form. */
export const onOff = (value: boolean) => (value ? "on" : "off");

function shownValue(change: FieldChange, side: "from" | "to"): string {
  const value = change[side];
  if (value === undefined || value === null) return "—";
  if (Array.isArray(value)) return channels(value as string[]);
  if (typeof value === "boolean") return onOff(value);
  return String(value);
}

/** "2026-12-03 06:05 UTC". */
function when(milliseconds: number): string {
  return `${new Date(milliseconds).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function changeLine(record: SettingsChangeRecord): string {
  const changes = record.changes
    .map(
      (change) =>
        `${settingNames[change.field]} ${shownValue(change, "from")} → ${shownValue(change, "to")}`,
    )
    .join("; ");
  return `• ${when(record.changedAt)}, <@${record.changedBy.userId}>: ${changes}`;
}

/**
 * `/settings` as lines: each value in force, whether the space set it, the operator's ceilings, and
 * the last changes (who, when, old → new).
 */
export function settingsText(
  view: SpaceSettingsView,
  spaceName: string,
  bold: (text: string) => string,
): string {
  const { settings, limits, ceilings } = view;
  const own = (set: boolean) => (set ? "" : " (the bot's)");
  const lines = [
    bold(`⚙️ This ${spaceName}'s video settings`),
    `Default duration: ${seconds(settings.defaultDuration, "model's choice")}`,
    `Default resolution: ${settings.defaultResolution ?? "model's choice"}`,
    `Default aspect: ${settings.defaultAspectRatio ?? "model's choice"}`,
    `Default audio: ${settings.defaultAudio === undefined ? "model's choice" : onOff(settings.defaultAudio)}`,
    `Max duration: ${limits.maxDuration} s${own(settings.maxDuration !== undefined)}, at most ${ceilings.maxDuration} s`,
    `Max resolution: ${limits.maxResolution}${own(settings.maxResolution !== undefined)}, at most ${ceilings.maxResolution}`,
    `Max takes: ${limits.maxTakes}${own(settings.maxTakes !== undefined)}, at most ${ceilings.maxTakes}`,
    `Daily seconds per member: ${seconds(limits.dailySecondsPerUser, "no limit")}${own(settings.dailySecondsPerUser !== undefined)}${ceilings.dailySecondsPerUser === undefined ? "" : `, at most ${ceilings.dailySecondsPerUser} s`}`,
    `Daily seconds for the ${spaceName}: ${seconds(limits.dailySecondsPerSpace, "no limit")}${own(settings.dailySecondsPerSpace !== undefined)}${ceilings.dailySecondsPerSpace === undefined ? "" : `, at most ${ceilings.dailySecondsPerSpace} s`}`,
    `Channels: ${channels(settings.allowedChannels)}`,
  ];
  if (view.history.length > 0) lines.push(bold("Recent changes"), ...view.history.map(changeLine));
  return lines.join("\n");
}
