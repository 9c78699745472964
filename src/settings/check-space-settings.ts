import { UserFacingError } from "../errors.ts";
import { settingNames } from "./setting-names.ts";
import {
  budgetSecondsLimit,
  type OperatorCeilings,
  resolutionRank,
  resolutionsUpTo,
  spaceLimits,
} from "./space-limits.ts";
import type { SpaceSettingField, SpaceSettings } from "./space-settings.ts";

function refuse(field: SpaceSettingField, value: unknown, allowed: string): never {
  const name = settingNames[field];
  throw new UserFacingError(`${name} ${String(value)} is out of range; ${allowed}.`, {
    field: name,
    code: "INVALID_REQUEST",
  });
}

function checkWhole(
  field: SpaceSettingField,
  value: number | undefined,
  low: number,
  high: number,
  unit: string,
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < low || value > high) {
    refuse(field, value, `choose ${low}–${high}${unit}`);
  }
}

/**
 * Refuses settings that would loosen the operator's ceilings or contradict each other (a default above
 * the cap); the message names the setting, the value and the range allowed.
 */
export function checkSpaceSettings(settings: SpaceSettings, ceilings: OperatorCeilings): void {
  const { minDuration } = ceilings;
  checkWhole("maxDuration", settings.maxDuration, minDuration, ceilings.maxDuration, " s");
  checkWhole("maxTakes", settings.maxTakes, 1, ceilings.maxTakes, "");
  const limits = spaceLimits(ceilings, settings);
  checkWhole("defaultDuration", settings.defaultDuration, minDuration, limits.maxDuration, " s");
  for (const field of ["maxResolution", "defaultResolution"] as const) {
    const value = settings[field];
    const highest = field === "maxResolution" ? ceilings.maxResolution : limits.maxResolution;
    if (value !== undefined && resolutionRank(value) > resolutionRank(highest)) {
      refuse(field, value, `choose ${resolutionsUpTo(highest).join(", ")}`);
    }
  }
  for (const field of ["dailySecondsPerUser", "dailySecondsPerSpace"] as const) {
    checkWhole(field, settings[field], 1, ceilings[field] ?? budgetSecondsLimit, " s a day");
  }
}
