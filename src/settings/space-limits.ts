import { type Resolution, resolutions } from "../domain/generation-request.ts";
import type { SpaceSettings } from "./space-settings.ts";

/** What the operator allows (environment and model): a space may tighten these, never loosen them. */
export interface OperatorCeilings {
  minDuration: number;
  maxDuration: number;
  maxResolution: Resolution;
  /** `MAX_TAKES`: the most takes one request may ask for. */
  maxTakes: number;
  /** The largest daily budgets a space may set; undefined: no operator limit. */
  dailySecondsPerUser?: number | undefined;
  dailySecondsPerSpace?: number | undefined;
}

/** The limits a request in one space meets: the tighter of the operator's and the space's. */
export interface SpaceLimits {
  maxDuration: number;
  maxResolution: Resolution;
  maxTakes: number;
  dailySecondsPerUser: number | undefined;
  dailySecondsPerSpace: number | undefined;
  allowedChannels: readonly string[];
}

/** The largest budget a space may set when the operator sets none. */
export const budgetSecondsLimit = 10_000_000;

export function resolutionRank(resolution: Resolution): number {
  return resolutions.indexOf(resolution);
}

/** Resolutions from the lowest up to `highest`. */
export function resolutionsUpTo(highest: Resolution): Resolution[] {
  return resolutions.filter((resolution) => resolutionRank(resolution) <= resolutionRank(highest));
}

function lower(operator: number | undefined, space: number | undefined): number | undefined {
  if (operator === undefined) return space;
  return space === undefined ? operator : Math.min(operator, space);
}

export function spaceLimits(ceilings: OperatorCeilings, settings: SpaceSettings): SpaceLimits {
  const maxResolution =
    settings.maxResolution !== undefined &&
    resolutionRank(settings.maxResolution) < resolutionRank(ceilings.maxResolution)
      ? settings.maxResolution
      : ceilings.maxResolution;
  return {
    maxDuration: lower(ceilings.maxDuration, settings.maxDuration) ?? ceilings.maxDuration,
    maxResolution,
    maxTakes: lower(ceilings.maxTakes, settings.maxTakes) ?? ceilings.maxTakes,
    dailySecondsPerUser: lower(ceilings.dailySecondsPerUser, settings.dailySecondsPerUser),
    dailySecondsPerSpace: lower(ceilings.dailySecondsPerSpace, settings.dailySecondsPerSpace),
    allowedChannels: settings.allowedChannels ?? [],
  };
}
