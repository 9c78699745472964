import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { buffer } from "node:stream/consumers";
import { closeServer, listen } from "./fake-oxen-http.ts";
import { checkSignature, payloadMatches, type S3Credentials } from "./fake-s3-signature.ts";
import { elements, partsOf, sendError, sendXml } from "./fake-s3-xml.ts";

export interface FakeS3Object {
  bytes: Buffer;
  contentType: string;
  /** `x-amz-meta-*` headers, by the name after the prefix. */
  metadata: Record<string, string>;
  lastModified: number;
  etag: string;
}

interface FakeUpload {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: number;
  parts: Map<number, { bytes: Buffer; etag: string }>;
}

export interface FakeS3Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** Why the signature was refused; undefined when it held. */
  refused?: string;
}

export interface FakeS3Options extends Partial<S3Credentials> {
  bucket?: string;
  /** The clock behind LastModified and Initiated; the test's own, so nothing waits for real time. */
  now?: () => number;
  /** Keys per ListObjectsV2 page at most (S3: 1,000), small to exercise paging. */
  maxKeys?: number;
}

const minPartBytes = 5 * 1024 ** 2;
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");
const isoDate = (time: number) => new Date(time).toISOString();

/**
 * A node:http stand-in for an S3-compatible bucket on 127.0.0.1, path-style
 * (`/{bucket}/{key}`), from the Amazon S3 API reference: PutObject, GetObject (with Range),
 * HeadObject, DeleteObject, ListObjectsV2, ListMultipartUploads and the multipart upload
 * (Create, UploadPart, Complete, Abort). Every request must carry a SigV4 signature of the
 * configured key, recomputed here; anything else is refused with 403.
 */
export async function startFakeS3Server(options: FakeS3Options = {}) {
  const credentials: S3Credentials = {
    accessKeyId: options.accessKeyId ?? "AKIAFAKES3TEST",
    secretAccessKey: options.secretAccessKey ?? "fake-s3-secret-access-key-for-tests",
    region: options.region ?? "us-east-1",
  };
  const bucket = options.bucket ?? "seedance-test";
  const now = options.now ?? Date.now;
  const objects = new Map<string, FakeS3Object>();
  const uploads = new Map<string, FakeUpload>();
  const requests: FakeS3Request[] = [];

  function metadataOf(request: IncomingMessage): Record<string, string> {
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith("x-amz-meta-") && typeof value === "string") {
        metadata[name.slice("x-amz-meta-".length)] = value;
      }
    }
    return metadata;
  }

  function objectHeaders(object: FakeS3Object): Record<string, string | number> {
    const headers: Record<string, string | number> = {
      "content-type": object.contentType,
      etag: `"${object.etag}"`,
      "last-modified": new Date(object.lastModified).toUTCString(),
      "accept-ranges": "bytes",
    };
    for (const [name, value] of Object.entries(object.metadata)) {
      headers[`x-amz-meta-${name}`] = value;
    }
    return headers;
  }

  function sendObject(request: IncomingMessage, response: ServerResponse, object: FakeS3Object) {
    const size = object.bytes.length;
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
    if (!request.headers.range || !range) {
      response.writeHead(200, { ...objectHeaders(object), "content-length": size });
      response.end(request.method === "HEAD" ? undefined : object.bytes);
      return;
    }
    const [, first = "", last = ""] = range;
    const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
    const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
    if (start >= size || start > end) {
      response.setHeader("content-range", `bytes */${size}`);
      sendError(response, request.method ?? "GET", 416, "InvalidRange", "Range not satisfiable");
      return;
    }
    response.writeHead(206, {
      ...objectHeaders(object),
      "content-length": end - start + 1,
      "content-range": `bytes ${start}-${end}/${size}`,
    });
    response.end(request.method === "HEAD" ? undefined : object.bytes.subarray(start, end + 1));
  }

  function listObjects(query: URLSearchParams, response: ServerResponse) {
    const prefix = query.get("prefix") ?? "";
    const maxKeys = Math.min(Number(query.get("max-keys") ?? 1000), options.maxKeys ?? 1000);
    const token = query.get("continuation-token");
    const after = token
      ? Buffer.from(token, "base64url").toString()
      : (query.get("start-after") ?? "");
    const keys = [...objects.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((key) => {
        const object = objects.get(key) as FakeS3Object;
        return `<Contents>${elements({
          Key: key,
          LastModified: isoDate(object.lastModified),
          ETag: `"${object.etag}"`,
          Size: object.bytes.length,
          StorageClass: "STANDARD",
        })}</Contents>`;
      })
      .join("");
    sendXml(
      response,
      200,
      "ListBucketResult",
      elements({
        Name: bucket,
        Prefix: prefix,
        KeyCount: page.length,
        MaxKeys: maxKeys,
        IsTruncated: truncated,
        ContinuationToken: token ?? undefined,
        NextContinuationToken: truncated
          ? Buffer.from(page.at(-1) ?? "").toString("base64url")
          : undefined,
      }) + contents,
    );
  }

  function listUploads(query: URLSearchParams, response: ServerResponse) {
    const prefix = query.get("prefix") ?? "";
    const listed = [...uploads.entries()]
      .filter(([, upload]) => upload.key.startsWith(prefix))
      .sort(([, a], [, b]) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated))
      .map(
        ([id, upload]) =>
          `<Upload>${elements({ Key: upload.key, UploadId: id, StorageClass: "STANDARD", Initiated: isoDate(upload.initiated) })}</Upload>`,
      );
    sendXml(
      response,
      200,
      "ListMultipartUploadsResult",
      elements({ Bucket: bucket, Prefix: prefix, MaxUploads: 1000, IsTruncated: false }) +
        listed.join(""),
    );
  }

  function completeUpload(key: string, id: string, body: Buffer, response: ServerResponse) {
    const upload = uploads.get(id);
    if (!upload || upload.key !== key) {
      sendError(response, "POST", 404, "NoSuchUpload", "The upload does not exist");
      return;
    }
    const listed = partsOf(body.toString("utf8"));
    const chosen = listed.map(({ partNumber, etag }) => {
      const part = upload.parts.get(partNumber);
      return part && `"${part.etag}"` === etag ? part : undefined;
    });
    if (listed.length === 0 || chosen.some((part) => !part)) {
      sendError(response, "POST", 400, "InvalidPart", "A listed part was not uploaded");
      return;
    }
    const parts = chosen as Array<{ bytes: Buffer; etag: string }>;
    if (parts.slice(0, -1).some((part) => part.bytes.length < minPartBytes)) {
      sendError(response, "POST", 400, "EntityTooSmall", "A part but the last is under 5 MiB");
      return;
    }
    const etag = `${md5(Buffer.concat(parts.map((part) => Buffer.from(part.etag, "hex"))))}-${parts.length}`;
    objects.set(key, {
      bytes: Buffer.concat(parts.map((part) => part.bytes)),
      contentType: upload.contentType,
      metadata: upload.metadata,
      lastModified: now(),
      etag,
    });
    uploads.delete(id);
    sendXml(
      response,
      200,
      "CompleteMultipartUploadResult",
      elements({ Bucket: bucket, Key: key, ETag: `"${etag}"` }),
    );
  }

  function route(
    request: IncomingMessage,
    response: ServerResponse,
    key: string,
    query: URLSearchParams,
    body: Buffer,
  ) {
    const method = request.method ?? "GET";
    const uploadId = query.get("uploadId");
    if (key === "" && method === "GET") {
      if (query.has("uploads")) listUploads(query, response);
      else if (query.get("list-type") === "2") listObjects(query, response);
      else sendError(response, method, 400, "NotImplemented", "Only ListObjectsV2 is served");
      return;
    }
    if (key === "") {
      sendError(response, method, 405, "MethodNotAllowed", "Not on a bucket here");
      return;
    }
    if (method === "PUT" && uploadId) {
      const upload = uploads.get(uploadId);
      if (!upload) return sendError(response, method, 404, "NoSuchUpload", "No such upload");
      const etag = md5(body);
      upload.parts.set(Number(query.get("partNumber")), { bytes: body, etag });
      response.writeHead(200, { etag: `"${etag}"` }).end();
      return;
    }
    if (method === "PUT") {
      const etag = md5(body);
      objects.set(key, {
        bytes: body,
        contentType: request.headers["content-type"] ?? "binary/octet-stream",
        metadata: metadataOf(request),
        lastModified: now(),
        etag,
      });
      response.writeHead(200, { etag: `"${etag}"` }).end();
      return;
    }
    if (method === "POST" && query.has("uploads")) {
      const id = randomUUID();
      uploads.set(id, {
        key,
        contentType: request.headers["content-type"] ?? "binary/octet-stream",
        metadata: metadataOf(request),
        initiated: now(),
        parts: new Map(),
      });
      sendXml(
        response,
        200,
        "InitiateMultipartUploadResult",
        elements({ Bucket: bucket, Key: key, UploadId: id }),
      );
      return;
    }
    if (method === "POST" && uploadId) return completeUpload(key, uploadId, body, response);
    if (method === "DELETE" && uploadId) {
      if (!uploads.delete(uploadId)) {
        return sendError(response, method, 404, "NoSuchUpload", "No such upload");
      }
      response.writeHead(204).end();
      return;
    }
    if (method === "DELETE") {
      objects.delete(key);
      response.writeHead(204).end();
      return;
    }
    if (method === "GET" || method === "HEAD") {
      const object = objects.get(key);
      if (!object) return sendError(response, method, 404, "NoSuchKey", "No such key");
      sendObject(request, response, object);
      return;
    }
    sendError(response, method, 405, "MethodNotAllowed", `${method} is not served`);
  }

  const server = createServer((request, response) => {
    void buffer(request).then((body) => {
      const url = new URL(request.url ?? "/", "http://fake-s3");
      const [, bucketName = "", ...rest] = url.pathname.split("/");
      const key = decodeURIComponent(rest.join("/"));
      const check = checkSignature(
        { method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers },
        credentials,
      );
      const recorded: FakeS3Request = {
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
      };
      requests.push(recorded);
      const method = request.method ?? "GET";
      if (!check.ok) {
        recorded.refused = check.problem;
        return sendError(response, method, 403, check.code, check.problem);
      }
      if (!payloadMatches(check.payloadHash, body)) {
        recorded.refused = "payload hash differs";
        return sendError(response, method, 400, "XAmzContentSHA256Mismatch", "Payload differs");
      }
      if (decodeURIComponent(bucketName) !== bucket) {
        return sendError(response, method, 404, "NoSuchBucket", "No such bucket");
      }
      route(request, response, key, url.searchParams, body);
    });
  });
  const endpoint = await listen(server);

  return {
    endpoint,
    bucket,
    credentials,
    objects,
    uploads,
    requests,
    close: () => closeServer(server),
  };
}

export type FakeS3Server = Awaited<ReturnType<typeof startFakeS3Server>>;
