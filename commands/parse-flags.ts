import { boundedExcerpt } from "../src/chat/excerpt.ts";
import {
  type AspectRatio,
  aspectRatios,
  type Resolution,
  resolutions,
} from "../src/domain/generation-request.ts";
import { seedanceLimits } from "../src/domain/model-limits.ts";
import { UserFacingError } from "../src/errors.ts";

/** Settings written inline in free text, e.g. "a red fox --ar 9:16 --dur 8 --fast". */
export interface InlineFlags {
  aspectRatio?: AspectRatio | undefined;
  /** Seconds; -1 lets the model choose ("--dur auto"). */
  duration?: number | undefined;
  resolution?: Resolution | undefined;
  seed?: number | undefined;
  generateAudio?: boolean | undefined;
  fast?: boolean | undefined;
  hasFace?: boolean | undefined;
  /** The image of this message is the end frame of the replied-to image. */
  endFrame?: boolean | undefined;
  /** The start image is the end frame too: a seamless loop. */
  loop?: boolean | undefined;
  /** Only the requester sees the card; the video goes to a direct message. */
  private?: boolean | undefined;
  /** Independent generations with different seeds; the service checks it against `MAX_TAKES`. */
  takes?: number | undefined;
}

export interface ParsedText {
  prompt: string;
  flags: InlineFlags;
}

export const seedMaximum = 2_147_483_647;
const { minDuration, maxDuration } = seedanceLimits.text.standard;

interface FlagSpec {
  readonly name: string;
  readonly value?: string;
  readonly apply: (flags: InlineFlags, value: string) => void;
}

function invalid(flag: string, value: string, allowed: string): UserFacingError {
  return new UserFacingError(
    `--${flag} ${boundedExcerpt(value, 40)} is not valid; use ${allowed}.`,
    {
      field: flag,
    },
  );
}

function wholeNumber(text: string): number | undefined {
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}

const flagSpecs: readonly FlagSpec[] = [
  {
    name: "ar",
    value: aspectRatios.join("|"),
    apply: (flags, value) => {
      const ratio = aspectRatios.find((candidate) => candidate === value.toLowerCase());
      if (!ratio) throw invalid("ar", value, `one of ${aspectRatios.join(", ")}`);
      flags.aspectRatio = ratio;
    },
  },
  {
    name: "dur",
    value: `${minDuration}-${maxDuration}|auto`,
    apply: (flags, value) => {
      if (value.toLowerCase() === "auto") {
        flags.duration = -1;
        return;
      }
      const seconds = wholeNumber(value.replace(/s$/i, ""));
      if (seconds === undefined || seconds < minDuration || seconds > maxDuration) {
        throw invalid("dur", value, `${minDuration}–${maxDuration} seconds or auto`);
      }
      flags.duration = seconds;
    },
  },
  {
    name: "res",
    value: resolutions.join("|"),
    apply: (flags, value) => {
      const resolution = resolutions.find((candidate) => candidate === value.toLowerCase());
      if (!resolution) throw invalid("res", value, `one of ${resolutions.join(", ")}`);
      flags.resolution = resolution;
    },
  },
  {
    name: "seed",
    value: `0-${seedMaximum}`,
    apply: (flags, value) => {
      const seed = wholeNumber(value);
      if (seed === undefined || seed < 0 || seed > seedMaximum) {
        throw invalid("seed", value, `a whole number from 0 to ${seedMaximum}`);
      }
      flags.seed = seed;
    },
  },
  {
    name: "audio",
    apply: (flags) => {
      flags.generateAudio = true;
    },
  },
  {
    name: "no-audio",
    apply: (flags) => {
      flags.generateAudio = false;
    },
  },
  {
    name: "fast",
    apply: (flags) => {
      flags.fast = true;
    },
  },
  {
    name: "face",
    apply: (flags) => {
      flags.hasFace = true;
    },
  },
  {
    name: "end",
    apply: (flags) => {
      flags.endFrame = true;
    },
  },
  {
    name: "loop",
    apply: (flags) => {
      flags.loop = true;
    },
  },
  {
    name: "private",
    apply: (flags) => {
      flags.private = true;
    },
  },
  {
    name: "takes",
    value: "N",
    apply: (flags, value) => {
      const takes = wholeNumber(value);
      if (takes === undefined || takes < 1) throw invalid("takes", value, "a whole number from 1");
      flags.takes = takes;
    },
  },
];

/** "--ar <16:9|…>, --dur <4-15|auto>, …": the list shown when a flag is unknown. */
export const validFlagsText = flagSpecs
  .map((spec) => (spec.value ? `--${spec.name} <${spec.value}>` : `--${spec.name}`))
  .join(", ");

/** Formats flags back into text (for prefilled remix forms). */
export function formatFlags(flags: InlineFlags): string {
  const parts: string[] = [];
  if (flags.aspectRatio) parts.push(`--ar ${flags.aspectRatio}`);
  if (flags.duration !== undefined)
    parts.push(`--dur ${flags.duration === -1 ? "auto" : flags.duration}`);
  if (flags.resolution) parts.push(`--res ${flags.resolution}`);
  if (flags.seed !== undefined && flags.seed >= 0) parts.push(`--seed ${flags.seed}`);
  if (flags.generateAudio !== undefined) parts.push(flags.generateAudio ? "--audio" : "--no-audio");
  if (flags.fast) parts.push("--fast");
  if (flags.hasFace) parts.push("--face");
  return parts.join(" ");
}

// Phones turn "--" into an em or en dash; accept those only in front of a known flag name.
const dashedFlag = /^(?:--|—|–)([a-z][a-z-]*)(?:=(.*))?$/i;

/** Splits free text into the prompt and its inline flags; unknown flags and bad values throw. */
export function parseFlags(text: string): ParsedText {
  const flags: InlineFlags = {};
  const tokens = [...text.matchAll(/\S+/g)];
  const removed = new Set<number>();
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]?.[0] ?? "";
    const match = dashedFlag.exec(token);
    if (!match) continue;
    const name = (match[1] ?? "").toLowerCase();
    const spec = flagSpecs.find((candidate) => candidate.name === name);
    if (!spec) {
      if (!token.startsWith("--")) continue;
      throw new UserFacingError(
        `Unknown flag ${boundedExcerpt(token, 40)}; valid flags are ${validFlagsText}.`,
        {
          field: "flags",
        },
      );
    }
    removed.add(index);
    let value = match[2];
    if (spec.value && value === undefined) {
      const next = tokens[index + 1]?.[0];
      if (next === undefined || dashedFlag.test(next)) {
        throw new UserFacingError(`--${spec.name} needs a value: <${spec.value}>.`, {
          field: spec.name,
        });
      }
      value = next;
      index += 1;
      removed.add(index);
    }
    spec.apply(flags, value ?? "");
  }
  return { prompt: rebuild(text, tokens, removed), flags };
}

function rebuild(text: string, tokens: RegExpExecArray[], removed: Set<number>): string {
  let prompt = "";
  let cursor = 0;
  tokens.forEach((token, index) => {
    if (!removed.has(index)) return;
    prompt += text.slice(cursor, token.index);
    cursor = token.index + token[0].length;
  });
  prompt += text.slice(cursor);
  return prompt
    .replace(/[ \t]{2,}/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}
