import { z } from "zod";

/** Empty variables count as unset, so `FOO=` in a .env file falls back to the default. */
export const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

export function optionalText(minimumLength = 1) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .min(minimumLength, { error: `must be at least ${minimumLength} characters long` })
      .optional(),
  );
}

/** A number read from text, checked by `accepts`, or `fallback` when unset. */
function numberField<Fallback extends number | undefined>(
  fallback: Fallback,
  accepts: (value: number) => boolean,
  expected: string,
) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value, context): number | Fallback => {
        if (value === undefined) return fallback;
        const parsed = Number(value);
        if (accepts(parsed)) return parsed;
        context.addIssue({ code: "custom", message: `must be ${expected} (got "${value}")` });
        return z.NEVER;
      }),
  );
}

export function wholeNumber(minimum: number, maximum: number, fallback: number) {
  return numberField(
    fallback,
    (value) => Number.isInteger(value) && value >= minimum && value <= maximum,
    `a whole number from ${minimum} to ${maximum}`,
  );
}

export function fraction(fallback: number) {
  return numberField(
    fallback,
    (value) => Number.isFinite(value) && value >= 0 && value <= 1,
    "a number from 0 to 1",
  );
}

const truthy = new Set(["true", "1", "yes", "on"]);
const falsy = new Set(["false", "0", "no", "off"]);

/** "true/false/1/0/yes/no/on/off"; undefined when unset. */
export function flag() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return undefined;
        const normalized = value.trim().toLowerCase();
        if (truthy.has(normalized)) return true;
        if (falsy.has(normalized)) return false;
        context.addIssue({ code: "custom", message: `must be true or false (got "${value}")` });
        return z.NEVER;
      }),
  );
}

export function httpUrl(what: string) {
  return z
    .url({
      protocol: /^https?$/,
      error: (issue) => `must be an http(s) URL ${what} (got "${String(issue.input)}")`,
    })
    .transform((value) => value.replace(/\/+$/, ""));
}

export function optionalHttpUrl(what: string, fallback?: string) {
  const url = httpUrl(what);
  return z.preprocess(
    blankToUndefined,
    fallback === undefined ? url.optional() : url.default(fallback),
  );
}

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (value) =>
      typeof blankToUndefined(value) === "string" ? String(value).trim().toLowerCase() : undefined,
    z.enum(values, { error: () => `must be one of: ${values.join(", ")}` }).optional(),
  );
}

/**
 * A provider's API root: an http(s) URL without a trailing slash or `/v1` (the paths we call carry
 * `/v1` themselves; a root ending in it would make every call a 404).
 */
export function apiRootUrl(what: string, fallback: string) {
  const url = httpUrl(what).refine((value) => !/\/v1$/i.test(value), {
    error: (issue) => `must be the API root without /v1, ${what} (got "${String(issue.input)}")`,
  });
  return z.preprocess(blankToUndefined, url.default(fallback));
}

/** Text matching `pattern` (trimmed), else `fallback` when unset. */
export function matching(pattern: RegExp, expected: string, fallback?: string) {
  const text = z
    .string()
    .trim()
    .regex(pattern, { error: (issue) => `must be ${expected} (got "${String(issue.input)}")` });
  return z.preprocess(
    blankToUndefined,
    fallback === undefined ? text.optional() : text.default(fallback),
  );
}

/** A whole number, or undefined when unset (no limit). */
export function optionalWholeNumber(minimum: number, maximum: number) {
  return numberField(
    undefined,
    (value) => Number.isInteger(value) && value >= minimum && value <= maximum,
    `a whole number from ${minimum} to ${maximum}`,
  );
}

/** Ids separated by commas or spaces; each may carry a platform prefix ("discord:123"). */
export function idList() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value) => (value ?? "").split(/[\s,]+/).filter((id) => id.length > 0)),
  );
}

/** Host names, each optionally with `:port` (commas or spaces between them). */
export function hostList() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value, context) => {
        const hosts = (value ?? "").split(/[\s,]+/).filter((host) => host.length > 0);
        for (const host of hosts) {
          const parsed = URL.parse(`http://${host}`);
          if (!parsed || parsed.host.toLowerCase() !== host.toLowerCase().replace(/:80$/, "")) {
            context.addIssue({
              code: "custom",
              message: `has "${host}", which is not a host name or host:port (such as files.internal:9000)`,
            });
            return z.NEVER;
          }
        }
        return hosts;
      }),
  );
}

/** Regular expressions, one per line (or a JSON array of strings); each must compile. */
export function patternList() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return [];
        const trimmed = value.trim();
        let patterns: string[];
        try {
          patterns = trimmed.startsWith("[")
            ? z.array(z.string()).parse(JSON.parse(trimmed))
            : trimmed
                .split(/\r?\n/)
                .map((line) => line.trim())
                .filter((line) => line.length > 0);
        } catch {
          context.addIssue({
            code: "custom",
            message: "must be a JSON array of strings, or one pattern per line",
          });
          return z.NEVER;
        }
        for (const pattern of patterns) {
          try {
            new RegExp(pattern, "u");
          } catch {
            context.addIssue({
              code: "custom",
              message: `has a pattern that is not a valid regular expression: "${pattern}"`,
            });
            return z.NEVER;
          }
        }
        return patterns;
      }),
  );
}

const postgresProtocols = new Set(["postgres:", "postgresql:"]);

/** A postgres:// URL. An error never repeats the value: it usually holds a password. */
export function postgresUrl() {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value, context) => {
        if (value === undefined) return undefined;
        if (URL.canParse(value) && postgresProtocols.has(new URL(value).protocol)) return value;
        context.addIssue({
          code: "custom",
          message:
            "must be a postgres:// URL, such as postgres://user:password@host:5432/seedance (the value is not shown: it may hold a password)",
        });
        return z.NEVER;
      }),
  );
}
