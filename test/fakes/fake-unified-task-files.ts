import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { multipartOf, type RecordedRequest, sendBytes, sendJson } from "./fake-oxen-http.ts";
import { errorBody, type FakeDialect } from "./fake-unified-task-tasks.ts";

export interface FakeUploadedFile {
  id: string;
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

/** AIHubMax takes uploads under its API root, EvoLink under its files API (here: the same fake). */
export const uploadPaths: Readonly<Record<FakeDialect, string>> = {
  aihubmax: "/v1/files/upload/stream",
  evolink: "/api/v1/files/upload/stream",
};

const lifetimeMs = 72 * 60 * 60_000;

/**
 * The providers' file upload: multipart `file` in, a public URL (on the fake CDN, no key needed)
 * out, answered in each dialect's shape. Files are served at `/files/{id}/{name}`.
 */
export class FakeUnifiedTaskFiles {
  readonly files = new Map<string, FakeUploadedFile>();
  readonly #dialect: FakeDialect;

  constructor(dialect: FakeDialect) {
    this.#dialect = dialect;
  }

  isUpload(recorded: RecordedRequest): boolean {
    return recorded.method === "POST" && recorded.pathname === uploadPaths[this.#dialect];
  }

  async upload(recorded: RecordedRequest, response: ServerResponse, cdnBaseUrl: string) {
    const dialect = this.#dialect;
    const file = (await multipartOf(recorded))?.get("file");
    if (!(file instanceof File)) {
      if (dialect === "evolink") {
        sendJson(response, 400, { success: false, code: 400, msg: "file is required" });
      } else {
        sendJson(
          response,
          400,
          errorBody(dialect, 400, "invalid_request_error", "file is required"),
        );
      }
      return;
    }
    const id = dialect === "evolink" ? `file_${randomUUID().slice(0, 8)}` : randomUUID();
    const stored = {
      id,
      bytes: Buffer.from(await file.arrayBuffer()),
      contentType: file.type || "application/octet-stream",
      fileName: file.name,
    };
    this.files.set(id, stored);
    const url = `${cdnBaseUrl}/files/${id}/${encodeURIComponent(file.name)}`;
    const created = Math.floor(Date.now() / 1000);
    if (dialect === "aihubmax") {
      sendJson(response, 200, { id, filename: file.name, url, size: stored.bytes.length, created });
      return;
    }
    sendJson(response, 200, {
      success: true,
      code: 200,
      msg: "File uploaded successfully",
      data: {
        file_id: id,
        file_name: file.name,
        original_name: file.name,
        file_size: stored.bytes.length,
        mime_type: stored.contentType,
        file_url: url,
        download_url: `${url}?download=1`,
        upload_time: new Date(created * 1000).toISOString(),
        expires_at: new Date(created * 1000 + lifetimeMs).toISOString(),
      },
    });
  }

  /** Serves `/files/{id}/{name}` from the CDN; false when the path is not an uploaded file. */
  serve(pathname: string, response: ServerResponse): boolean {
    const id = /^\/files\/([^/]+)\/[^/]+$/.exec(pathname)?.[1];
    const stored = id ? this.files.get(decodeURIComponent(id)) : undefined;
    if (!stored) return false;
    sendBytes(response, stored.bytes, stored.contentType);
    return true;
  }
}
