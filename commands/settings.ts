import { z } from "zod";
import { onOff } from "../src/chat/settings-summary.ts";
import { aspectRatios, resolutions } from "../src/domain/generation-request.ts";
import { seedanceLimits } from "../src/domain/model-limits.ts";
import { takesCeiling } from "../src/domain/takes.ts";
import { UserFacingError } from "../src/errors.ts";
import { settingNames } from "../src/settings/setting-names.ts";
import { budgetSecondsLimit } from "../src/settings/space-limits.ts";
import {
  type SpaceSettingField,
  type SpaceSettings,
  spaceSettingFields,
} from "../src/settings/space-settings.ts";
import type { SpaceSettingsPatch } from "../src/settings/space-settings-service.ts";
import { defineCommand } from "./define-command.ts";

const { minDuration, maxDuration } = seedanceLimits.text.standard;
const seconds = (description: string) =>
  z.number().int().min(minDuration).max(maxDuration).describe(description).optional();
const budget = (description: string) =>
  z.number().int().min(0).max(budgetSecondsLimit).describe(description).optional();
const resettable = ["all", ...spaceSettingFields.map((field) => settingNames[field])] as const;

/** Channel mentions (`<#123>`, Slack's `<#C1|name>`) and bare ids; `all` (or `every`) clears the list. */
export function parseChannels(text: string): string[] | null {
  const trimmed = text.trim();
  if (/^(all|every|any|everywhere)$/i.test(trimmed)) return null;
  const ids: string[] = [];
  for (const word of trimmed.split(/[\s,]+/).filter(Boolean)) {
    const id = /^<#([A-Z0-9]+)(\|[^>]*)?>$/i.exec(word)?.[1] ?? /^[A-Z0-9]{5,}$/i.exec(word)?.[0];
    if (!id) {
      throw new UserFacingError(
        `channels ${word} is not a channel mention or id; pick channels with # so they become mentions, or write \`all\` for every channel.`,
        { field: settingNames.allowedChannels },
      );
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids.length > 0 ? ids : null;
}

/** 0 returns a budget to the operator's. */
function budgetValue(value: number | undefined): number | null | undefined {
  return value === 0 ? null : value;
}

/** The space's own values under the option names, as a form shows them (empty: the bot's own). */
export function settingsOptionValues(settings: SpaceSettings): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of spaceSettingFields) {
    const value = settings[field];
    if (value === undefined) continue;
    const name = settingNames[field];
    if (Array.isArray(value)) values[name] = value.join(" ");
    else if (typeof value === "boolean") values[name] = onOff(value);
    else values[name] = String(value);
  }
  return values;
}

export const settingsCommand = defineCommand({
  name: "settings",
  description:
    "This server's video settings: defaults, caps, daily budgets, channels (admins change them)",
  manageSpace: true,
  options: z.object({
    default_duration: seconds("Length of a video that asks for none, in seconds"),
    default_resolution: z
      .enum(resolutions)
      .describe("Resolution of a video that asks for none")
      .optional(),
    default_aspect: z
      .enum(aspectRatios)
      .describe("Frame shape of a video that asks for none")
      .optional(),
    // A choice, not a yes/no: a form's empty field means "the bot's own", and "off" must be sayable.
    default_audio: z
      .enum(["on", "off"])
      .describe("Sound for a video that says nothing about it")
      .optional(),
    max_duration: seconds("Longest video anyone here may ask for, in seconds"),
    max_resolution: z
      .enum(resolutions)
      .describe("Highest resolution anyone here may ask for")
      .optional(),
    max_takes: z
      .number()
      .int()
      .min(1)
      .max(takesCeiling)
      .describe("Most takes (--takes) one request may ask for")
      .optional(),
    user_daily_seconds: budget(
      "Seconds of video one member may make per UTC day (0: the bot's own)",
    ),
    server_daily_seconds: budget(
      "Seconds of video the whole server may make per UTC day (0: the bot's own)",
    ),
    channels: z
      .string()
      .min(1)
      .max(2000)
      .meta({ channelList: true })
      .describe("Channels where videos may be made (mentions or ids); all: every channel")
      .optional(),
    reset: z
      .enum(resettable)
      .describe("Return one setting, or all, to the bot's own value")
      .optional(),
  }),
  handle: (options) => {
    const patch: SpaceSettingsPatch = {
      defaultDuration: options.default_duration,
      defaultResolution: options.default_resolution,
      defaultAspectRatio: options.default_aspect,
      defaultAudio:
        options.default_audio === undefined ? undefined : options.default_audio === "on",
      maxDuration: options.max_duration,
      maxResolution: options.max_resolution,
      maxTakes: options.max_takes,
      dailySecondsPerUser: budgetValue(options.user_daily_seconds),
      dailySecondsPerSpace: budgetValue(options.server_daily_seconds),
      allowedChannels: options.channels === undefined ? undefined : parseChannels(options.channels),
    };
    const reset = options.reset;
    const cleared = spaceSettingFields.filter(
      (field: SpaceSettingField) => reset === "all" || reset === settingNames[field],
    );
    for (const field of cleared) patch[field] = null;
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([, value]) => value !== undefined),
    ) as SpaceSettingsPatch;
    return { kind: "settings", patch: changes };
  },
});
