import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";

function attempt(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("config: an S3-compatible bucket for media", () => {
  it("keeps media off S3 without S3_BUCKET", () => {
    expect(loadConfig({}).s3).toBeUndefined();
    expect(loadConfig({ S3_BUCKET: " " }).s3).toBeUndefined();
  });

  it("uses the SDK's credential chain and AWS's addressing unless told", () => {
    expect(loadConfig({ S3_BUCKET: "seedance-media" }).s3).toEqual({
      bucket: "seedance-media",
      region: "us-east-1",
      endpoint: undefined,
      prefix: "seedance-bot/",
      forcePathStyle: false,
      credentials: undefined,
    });
  });

  it("reaches MinIO path-style with static keys and a prefix made to end in /", () => {
    const s3 = loadConfig({
      S3_BUCKET: "media",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_REGION: "auto",
      S3_PREFIX: "bots/seedance",
      S3_ACCESS_KEY_ID: "minio",
      S3_SECRET_ACCESS_KEY: "minio-secret",
    }).s3;
    expect(s3).toMatchObject({ region: "auto", prefix: "bots/seedance/", forcePathStyle: true });
    expect(s3?.credentials).toEqual({ accessKeyId: "minio", secretAccessKey: "minio-secret" });
    expect(
      loadConfig({
        S3_BUCKET: "media",
        S3_ENDPOINT: "http://minio:9000",
        S3_FORCE_PATH_STYLE: "no",
      }).s3?.forcePathStyle,
    ).toBe(false);
  });

  it("names the variable at fault and never repeats the secret", () => {
    const message = attempt({ S3_BUCKET: "media", S3_SECRET_ACCESS_KEY: "s3cret-value" });
    expect(message).toContain("S3_ACCESS_KEY_ID is required with the other");
    expect(message).not.toContain("s3cret-value");
    expect(attempt({ S3_ENDPOINT: "http://127.0.0.1:9000" })).toContain(
      "S3_BUCKET is required when S3_ENDPOINT is set",
    );
    expect(attempt({ S3_BUCKET: "Not_A_Bucket" })).toContain("S3_BUCKET must be a bucket name");
    expect(attempt({ S3_BUCKET: "media", S3_PREFIX: "../up" })).toContain("S3_PREFIX must be");
  });
});
