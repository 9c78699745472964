import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { z } from "zod";
import { assertBlobKey, type BlobInfo, type BlobStore, blobKeyPattern } from "./blob-store.ts";

export interface S3BlobStoreOptions {
  /** Shared with the other stores on the bucket; not destroyed here. */
  client: S3Client;
  bucket: string;
  /** Every key of this store starts with it, e.g. `seedance/media/`; the sweep lists it. */
  prefix: string;
  /** A multipart upload unfinished after this long was interrupted; the sweep aborts it. */
  orphanAgeMs: number;
  /** Bytes per uploaded part (S3's minimum, 5 MiB, by default); a body under it is one PUT. */
  partBytes?: number;
  now?: () => number;
}

/** What a blob's object carries as `x-amz-meta-*` beside its Content-Type. */
const objectMetadataSchema = z.object({
  "file-name": z.string(),
  "expires-at": z.string().regex(/^\d{1,16}$/),
});

const minPartBytes = 5 * 1024 ** 2;
/** HEAD requests the sweep has in flight at once. */
const sweepConcurrency = 8;

function isAbsent(error: unknown): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}

function infoOf(response: {
  ContentType?: string | undefined;
  ContentLength?: number | undefined;
  Metadata?: Record<string, string> | undefined;
}): BlobInfo | undefined {
  const parsed = objectMetadataSchema.safeParse(response.Metadata ?? {});
  if (!parsed.success) return undefined;
  let fileName: string;
  try {
    fileName = decodeURIComponent(parsed.data["file-name"]);
  } catch {
    return undefined;
  }
  return {
    contentType: response.ContentType || "application/octet-stream",
    fileName,
    expiresAt: Number(parsed.data["expires-at"]),
    sizeBytes: response.ContentLength ?? 0,
  };
}

/**
 * Blobs as objects in an S3-compatible bucket, reachable from every instance. A put streams in
 * (one PUT, or a multipart upload past `partBytes`) and replaces the object only once complete;
 * the metadata travels with the object, so a HEAD answers `stat`. No `localPath`.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket, prefix, orphanAgeMs } = options;
  const now = options.now ?? Date.now;
  const partBytes = Math.max(options.partBytes ?? minPartBytes, minPartBytes);
  const objectKey = (key: string) => `${prefix}${key}`;

  async function head(key: string): Promise<BlobInfo | undefined> {
    try {
      return infoOf(
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) })),
      );
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async function stat(key: string): Promise<BlobInfo | undefined> {
    if (!blobKeyPattern.test(key)) return undefined;
    const info = await head(key);
    return info && info.expiresAt > now() ? info : undefined;
  }

  async function remove(key: string): Promise<void> {
    if (!blobKeyPattern.test(key)) return;
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
  }

  /** Deletes `key` when it is expired, or unreadable and older than the orphan age. */
  async function sweepOne(key: string, lastModified: number, time: number): Promise<boolean> {
    const info = await head(key);
    const expired = info ? info.expiresAt <= time : lastModified < time - orphanAgeMs;
    if (expired) await remove(key);
    return expired;
  }

  async function abortStaleUploads(time: number): Promise<void> {
    // ListMultipartUploads has no SDK paginator: follow its key and upload-id markers.
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await client.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, ...markers }),
      );
      for (const upload of page.Uploads ?? []) {
        const initiated = upload.Initiated?.getTime() ?? time;
        if (!upload.Key || !upload.UploadId || initiated >= time - orphanAgeMs) continue;
        await client
          .send(
            new AbortMultipartUploadCommand({
              Bucket: bucket,
              Key: upload.Key,
              UploadId: upload.UploadId,
            }),
          )
          .catch((error: unknown) => {
            if (!isAbsent(error)) throw error;
          });
      }
      if (!page.IsTruncated || !page.NextKeyMarker) return;
      markers = {
        KeyMarker: page.NextKeyMarker,
        ...(page.NextUploadIdMarker ? { UploadIdMarker: page.NextUploadIdMarker } : {}),
      };
    }
  }

  return {
    async put(key, body, metadata) {
      assertBlobKey(key);
      let sizeBytes = 0;
      async function* counted() {
        for await (const piece of body) {
          sizeBytes += piece.byteLength;
          yield piece;
        }
      }
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: objectKey(key),
          Body: Readable.from(counted(), { objectMode: false }),
          ContentType: metadata.contentType,
          Metadata: {
            "file-name": encodeURIComponent(metadata.fileName),
            "expires-at": String(metadata.expiresAt),
          },
        },
        partSize: partBytes,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
      return { ...metadata, sizeBytes };
    },

    stat,

    async open(key, range) {
      if (!blobKeyPattern.test(key)) return undefined;
      let response: GetObjectCommandOutput;
      try {
        response = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: objectKey(key),
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
      } catch (error) {
        if (isAbsent(error)) return undefined;
        // A range past the end of an empty blob: nothing to read, if the blob is there.
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
          return (await stat(key)) ? Readable.from([]) : undefined;
        }
        throw error;
      }
      const body = response.Body;
      const info = infoOf(response);
      if (!(body instanceof Readable) || !info || info.expiresAt <= now()) {
        if (body instanceof Readable) body.destroy();
        return undefined;
      }
      return body;
    },

    remove,

    async sweep() {
      const time = now();
      let removed = 0;
      for await (const page of paginateListObjectsV2(
        { client },
        { Bucket: bucket, Prefix: prefix },
      )) {
        const candidates = (page.Contents ?? []).flatMap((object) => {
          const key = object.Key?.slice(prefix.length) ?? "";
          if (!object.Key?.startsWith(prefix) || !blobKeyPattern.test(key)) return [];
          return [{ key, lastModified: object.LastModified?.getTime() ?? time }];
        });
        for (let index = 0; index < candidates.length; index += sweepConcurrency) {
          const batch = candidates.slice(index, index + sweepConcurrency);
          const outcomes = await Promise.all(
            batch.map(({ key, lastModified }) => sweepOne(key, lastModified, time)),
          );
          removed += outcomes.filter(Boolean).length;
        }
      }
      await abortStaleUploads(time);
      return removed;
    },
  };
}
