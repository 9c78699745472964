import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileTypeFromFile } from "file-type";
import type { GenerationRequest } from "../../domain/generation-request.ts";

export interface LocalImage {
  path: string;
  /** We wrote it (from a data: URL) and must remove it after rendering. */
  temporary: boolean;
}

const imageTypes = new Map([
  ["image/jpeg", "jpg"],
  ["image/png", "png"],
  ["image/webp", "webp"],
]);
const maxImageBytes = 30 * 1024 * 1024;
const dataUrlPattern = /^data:(image\/[a-z]+);base64,(.*)$/is;

/** The picture the clip should zoom into: the start image, else the first reference image. */
export function pictureUrl(request: GenerationRequest): string | undefined {
  return (request.startImage ?? request.referenceImages[0])?.url;
}

async function readableImageFile(path: string): Promise<boolean> {
  const info = await stat(path);
  if (!info.isFile() || info.size > maxImageBytes) return false;
  const type = await fileTypeFromFile(path);
  return type !== undefined && imageTypes.has(type.mime);
}

/** Maps a URL the bot itself published (its signed media links) to the file behind it. */
export type LocalPathResolver = (url: string) => string | undefined;

/**
 * A local copy of the picture when its URL is one we can read without the network: a file the
 * bot published itself (through `resolveLocalPath`), or a base64 `data:` URL; undefined otherwise.
 * Arbitrary `file:` URLs are never read, so a request cannot pull a server file into a video.
 */
export async function localImage(
  url: string | undefined,
  scratchDirectory: string,
  baseName: string,
  resolveLocalPath?: LocalPathResolver,
): Promise<LocalImage | undefined> {
  if (!url) return undefined;
  try {
    const published = resolveLocalPath?.(url);
    if (published) {
      return (await readableImageFile(published))
        ? { path: published, temporary: false }
        : undefined;
    }
    const match = dataUrlPattern.exec(url);
    const extension = imageTypes.get(match?.[1]?.toLowerCase() ?? "");
    if (!match || !extension) return undefined;
    const bytes = Buffer.from(match[2] ?? "", "base64");
    if (bytes.length === 0 || bytes.length > maxImageBytes) return undefined;
    const path = join(scratchDirectory, `${baseName}-picture.${extension}`);
    await writeFile(path, bytes);
    return { path, temporary: true };
  } catch {
    return undefined;
  }
}
