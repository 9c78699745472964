import { openAsBlob } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { MediaSource } from "./media-host.ts";

const mimePattern = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** The source's content type when it is a plain `type/subtype`, else a neutral one. */
export function contentTypeOf(source: MediaSource): string {
  const type = source.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mimePattern.test(type) ? type : "application/octet-stream";
}

/** Size in bytes, without reading a file into memory. */
export async function sourceSize(source: MediaSource): Promise<number> {
  return "bytes" in source ? source.bytes.byteLength : (await stat(source.path)).size;
}

export async function sourceBytes(source: MediaSource): Promise<Uint8Array> {
  return "bytes" in source ? source.bytes : await readFile(source.path);
}

/** A Blob for a multipart upload; a file on disk is streamed, not read into memory. */
export async function sourceBlob(source: MediaSource): Promise<Blob> {
  const type = contentTypeOf(source);
  if ("path" in source) return await openAsBlob(source.path, { type });
  return new Blob([source.bytes as Uint8Array<ArrayBuffer>], { type });
}

/**
 * A file name safe in a URL path and a repository: ASCII letters, digits, `.`, `_` and `-`, at
 * most 80 characters, never hidden or empty. The user's name is only a hint; the random folder
 * around it is what makes the path unguessable.
 */
export function safeFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(-80);
  return cleaned === "" || /^[._-]*$/.test(cleaned) ? "file" : cleaned;
}
