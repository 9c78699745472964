import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

/**
 * A local copy of the picture when its URL is one we can read without the network (`file://`
 * pointing at a JPEG, PNG or WebP, or a base64 `data:` URL); undefined for anything else.
 */
export async function localImage(
  url: string | undefined,
  scratchDirectory: string,
  baseName: string,
): Promise<LocalImage | undefined> {
  if (!url) return undefined;
  try {
    if (url.startsWith("file:")) {
      const path = fileURLToPath(url);
      return (await readableImageFile(path)) ? { path, temporary: false } : undefined;
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
