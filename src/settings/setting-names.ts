import type { SpaceSettingField } from "./space-settings.ts";

/** How each setting is named to users: the `/settings` option and the name in every refusal. */
export const settingNames: Readonly<Record<SpaceSettingField, string>> = {
  defaultDuration: "default_duration",
  defaultResolution: "default_resolution",
  defaultAspectRatio: "default_aspect",
  defaultAudio: "default_audio",
  maxDuration: "max_duration",
  maxResolution: "max_resolution",
  maxTakes: "max_takes",
  dailySecondsPerUser: "user_daily_seconds",
  dailySecondsPerSpace: "server_daily_seconds",
  allowedChannels: "channels",
};
