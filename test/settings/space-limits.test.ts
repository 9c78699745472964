import { describe, expect, it } from "vitest";
import { UserFacingError } from "../../src/errors.ts";
import {
  checkCaps,
  checkChannel,
  withSpaceDefaults,
} from "../../src/settings/apply-space-settings.ts";
import { checkSpaceSettings } from "../../src/settings/check-space-settings.ts";
import { type OperatorCeilings, spaceLimits } from "../../src/settings/space-limits.ts";
import { applyPatch } from "../../src/settings/space-settings-service.ts";

const ceilings: OperatorCeilings = {
  minDuration: 4,
  maxDuration: 12,
  maxResolution: "1080p",
  maxTakes: 4,
  dailySecondsPerUser: 300,
  dailySecondsPerSpace: undefined,
};

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return (error as Error).message;
  }
  throw new Error("not refused");
}

describe("space settings within the operator's ceilings", () => {
  it("refuses a cap or budget above the ceiling, naming the setting, the value and the range", () => {
    expect(refusal(() => checkSpaceSettings({ maxDuration: 15 }, ceilings))).toBe(
      "max_duration 15 is out of range; choose 4–12 s.",
    );
    expect(refusal(() => checkSpaceSettings({ maxResolution: "4k" }, ceilings))).toBe(
      "max_resolution 4k is out of range; choose 480p, 720p, 1080p.",
    );
    expect(refusal(() => checkSpaceSettings({ dailySecondsPerUser: 301 }, ceilings))).toBe(
      "user_daily_seconds 301 is out of range; choose 1–300 s a day.",
    );
    expect(
      refusal(() => checkSpaceSettings({ maxDuration: 6, defaultDuration: 8 }, ceilings)),
    ).toBe("default_duration 8 is out of range; choose 4–6 s.");
    expect(
      refusal(() =>
        checkSpaceSettings({ maxResolution: "480p", defaultResolution: "720p" }, ceilings),
      ),
    ).toBe("default_resolution 720p is out of range; choose 480p.");
    expect(refusal(() => checkSpaceSettings({ maxTakes: 5 }, ceilings))).toBe(
      "max_takes 5 is out of range; choose 1–4.",
    );
    expect(() =>
      checkSpaceSettings({ maxDuration: 8, dailySecondsPerSpace: 5_000, maxTakes: 2 }, ceilings),
    ).not.toThrow();
  });

  it("takes the tighter of the operator's and the space's limits", () => {
    expect(
      spaceLimits(ceilings, { maxDuration: 8, dailySecondsPerSpace: 90, maxTakes: 2 }),
    ).toEqual({
      maxDuration: 8,
      maxResolution: "1080p",
      maxTakes: 2,
      dailySecondsPerUser: 300,
      dailySecondsPerSpace: 90,
      allowedChannels: [],
    });
  });

  it("fills unset options with the defaults, never above a cap, and refuses what is over it", () => {
    const settings = {
      maxDuration: 8,
      maxResolution: "480p" as const,
      defaultAspectRatio: "9:16" as const,
    };
    const limits = spaceLimits(ceilings, settings);
    expect(withSpaceDefaults({ mode: "text", prompt: "a fox" }, settings, limits)).toEqual({
      mode: "text",
      prompt: "a fox",
      duration: 8,
      resolution: "480p",
      aspectRatio: "9:16",
    });
    expect(
      withSpaceDefaults(
        { mode: "text", prompt: "a fox", duration: 5 },
        { defaultDuration: 6 },
        limits,
      ),
    ).toMatchObject({ duration: 5 });
    expect(refusal(() => checkCaps({ duration: 10, resolution: "480p" }, limits, 4))).toBe(
      "duration 10 s is above this server's cap of 8 s; choose 4–8 s.",
    );
    expect(refusal(() => checkCaps({ duration: -1 }, limits, 4))).toMatch(/^duration auto can run/);
    expect(refusal(() => checkCaps({ duration: 5, resolution: "720p" }, limits, 4))).toBe(
      "resolution 720p is above this server's cap of 480p; choose 480p.",
    );
  });

  it("gives a video that says nothing about sound the space's default, and keeps what the user said", () => {
    const settings = { defaultAudio: false };
    const limits = spaceLimits(ceilings, settings);
    expect(withSpaceDefaults({ mode: "text", prompt: "a fox" }, settings, limits)).toMatchObject({
      generateAudio: false,
    });
    expect(
      withSpaceDefaults({ mode: "text", prompt: "a fox", generateAudio: true }, settings, limits),
    ).toMatchObject({ generateAudio: true });
    expect(withSpaceDefaults({ mode: "text", prompt: "a fox" }, {}, limits)).not.toHaveProperty(
      "generateAudio",
    );
  });

  it("refuses a channel outside the list, naming the channels that allow videos", () => {
    const limits = spaceLimits(ceilings, { allowedChannels: ["C1", "C2"] });
    const origin = { platform: "slack", spaceId: "T1", channelId: "C9", userId: "U1" };
    expect(refusal(() => checkChannel(origin, limits))).toBe(
      "Videos can be made only in <#C1>, <#C2> on this server; this channel is not one of them.",
    );
    expect(() => checkChannel({ ...origin, channelId: "C2" }, limits)).not.toThrow();
  });

  it("applies a patch: values set, null returns a field to the operator's", () => {
    expect(
      applyPatch(
        { maxDuration: 8, dailySecondsPerUser: 60 },
        { maxDuration: null, maxResolution: "720p" },
      ),
    ).toEqual({
      maxResolution: "720p",
      dailySecondsPerUser: 60,
    });
  });
});
