import { S3Client } from "@aws-sdk/client-s3";

/** Where the shared bucket is and how to reach it (the `S3_*` variables). */
export interface S3Settings {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, R2, a test's fake); AWS's own when undefined. */
  endpoint: string | undefined;
  /** Keys start with this (`seedance/`), so one bucket can hold other things too. */
  prefix: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO wants it). */
  forcePathStyle: boolean;
  /** Static keys; undefined: the SDK's standard chain (AWS_* variables, profile, IAM role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

/**
 * One client for every blob store on the bucket. Checksums only where S3 requires them: the
 * SDK's default (a CRC32 trailer on every upload) is refused by several S3-compatible stores.
 */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}
