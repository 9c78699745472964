import { z } from "zod";
import { flag, matching, optionalHttpUrl, optionalText } from "./config-fields.ts";

/** The `S3_*` variables: S3_BUCKET puts uploaded inputs (and, with DATABASE_URL, videos) in a bucket. */
export const s3EnvironmentSchema = z.object({
  S3_BUCKET: matching(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "a bucket name of 3 to 63 lower-case letters, digits, '.' or '-', such as seedance-media",
  ),
  S3_REGION: matching(
    /^[a-z0-9-]{1,40}$/,
    "a region such as us-east-1, or auto for R2",
    "us-east-1",
  ),
  S3_ENDPOINT: optionalHttpUrl("an S3-compatible endpoint such as http://127.0.0.1:9000"),
  S3_PREFIX: matching(
    /^(?!(.*\/)?\.{1,2}(\/|$))[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/?$/,
    "a key prefix of letters, digits, '.', '_', '-' and '/' (no . or .. part), such as seedance-bot/",
    "seedance-bot/",
  ),
  S3_FORCE_PATH_STYLE: flag(),
  S3_ACCESS_KEY_ID: optionalText(),
  S3_SECRET_ACCESS_KEY: optionalText(),
});

type S3Environment = z.infer<typeof s3EnvironmentSchema>;

/** What is wrong with the `S3_*` variables together; the secret itself is never repeated. */
export function s3Checks(value: S3Environment): Array<[variable: string, message: string]> {
  const issues: Array<[string, string]> = [];
  if (!value.S3_BUCKET) {
    for (const name of ["S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      if (value[name]) issues.push(["S3_BUCKET", `is required when ${name} is set`]);
    }
    return issues.slice(0, 1);
  }
  if (Boolean(value.S3_ACCESS_KEY_ID) !== Boolean(value.S3_SECRET_ACCESS_KEY)) {
    issues.push([
      value.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID",
      "is required with the other; set both, or neither to use the AWS SDK's standard credentials",
    ]);
  }
  return issues;
}

/** The bucket's settings, or undefined without S3_BUCKET (blobs stay in DATA_DIR or PostgreSQL). */
export function s3Settings(value: S3Environment) {
  if (!value.S3_BUCKET) return undefined;
  const prefix = value.S3_PREFIX ?? "seedance-bot/";
  return {
    bucket: value.S3_BUCKET,
    region: value.S3_REGION ?? "us-east-1",
    endpoint: value.S3_ENDPOINT,
    prefix: prefix.endsWith("/") ? prefix : `${prefix}/`,
    // An own endpoint is most often MinIO or similar, which wants /bucket/key.
    forcePathStyle: value.S3_FORCE_PATH_STYLE ?? value.S3_ENDPOINT !== undefined,
    credentials:
      value.S3_ACCESS_KEY_ID && value.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: value.S3_ACCESS_KEY_ID, secretAccessKey: value.S3_SECRET_ACCESS_KEY }
        : undefined,
  };
}
