import { z } from "zod";
import { ConfigError } from "./errors.ts";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const providers = ["oxen"] as const;

function integer(name: string, minimum: number, maximum: number, fallback: number) {
  const message = `must be a whole number from ${minimum} to ${maximum}`;
  return z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === "") return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < minimum || parsed > maximum) {
        context.addIssue({ code: "custom", message: `${message} (got "${value}")`, path: [] });
        return z.NEVER;
      }
      return parsed;
    })
    .describe(name);
}

function httpUrl(what: string) {
  return z
    .url({
      protocol: /^https?$/,
      error: (issue) => `must be an http(s) URL ${what} (got "${String(issue.input)}")`,
    })
    .transform((value) => value.replace(/\/+$/, ""));
}

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** Every environment variable the bot reads, with its default; documented in the README. */
export const environmentSchema = z
  .object({
    PROVIDER: z.preprocess(
      blankToUndefined,
      z.enum(providers, { error: () => `must be one of: ${providers.join(", ")}` }).default("oxen"),
    ),
    OXEN_API_KEY: z.preprocess(blankToUndefined, z.string().optional()),
    OXEN_BASE_URL: z.preprocess(
      blankToUndefined,
      httpUrl("such as https://hub.oxen.ai").default("https://hub.oxen.ai"),
    ),
    DATA_DIR: z.preprocess(blankToUndefined, z.string().default("./data")),
    PORT: integer("PORT", 0, 65_535, 3000),
    HOST: z.preprocess(blankToUndefined, z.string().default("0.0.0.0")),
    PUBLIC_BASE_URL: z.preprocess(
      blankToUndefined,
      httpUrl("where users and the provider reach this bot").optional(),
    ),
    LOG_LEVEL: z.preprocess(
      (value) =>
        typeof blankToUndefined(value) === "string" ? String(value).toLowerCase() : undefined,
      z.enum(logLevels, { error: () => `must be one of: ${logLevels.join(", ")}` }).default("info"),
    ),
    SSE_IDLE_TIMEOUT_MS: integer("SSE_IDLE_TIMEOUT_MS", 1000, 600_000, 45_000),
    SWEEP_INTERVAL_MS: integer("SWEEP_INTERVAL_MS", 1000, 3_600_000, 60_000),
    JOB_TIMEOUT_MS: integer("JOB_TIMEOUT_MS", 60_000, 86_400_000, 45 * 60_000),
    MAX_VIDEO_BYTES: integer("MAX_VIDEO_BYTES", 1024, 4 * 1024 ** 3, 512 * 1024 ** 2),
    DELIVERY_MAX_ATTEMPTS: integer("DELIVERY_MAX_ATTEMPTS", 1, 50, 6),
  })
  .superRefine((environment, context) => {
    if (environment.PROVIDER === "oxen" && !environment.OXEN_API_KEY) {
      context.addIssue({
        code: "custom",
        path: ["OXEN_API_KEY"],
        message:
          "is required when PROVIDER=oxen: create a key at https://www.oxen.ai (Settings → API keys) and set it",
      });
    }
  });

export function parseEnvironment(environment: Record<string, string | undefined>) {
  const result = environmentSchema.safeParse(environment);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "environment"} ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const value = result.data;
  return {
    provider: value.PROVIDER,
    oxen: { apiKey: value.OXEN_API_KEY ?? "", baseUrl: value.OXEN_BASE_URL },
    dataDirectory: value.DATA_DIR,
    http: { port: value.PORT, host: value.HOST },
    publicBaseUrl: value.PUBLIC_BASE_URL,
    logLevel: value.LOG_LEVEL,
    timing: {
      sseIdleTimeoutMs: value.SSE_IDLE_TIMEOUT_MS,
      sweepIntervalMs: value.SWEEP_INTERVAL_MS,
      jobTimeoutMs: value.JOB_TIMEOUT_MS,
    },
    delivery: { maxVideoBytes: value.MAX_VIDEO_BYTES, maxAttempts: value.DELIVERY_MAX_ATTEMPTS },
  };
}

export type Config = ReturnType<typeof parseEnvironment>;

/** Reads the configuration once, at start-up; everything else receives the result. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  return parseEnvironment(environment);
}
