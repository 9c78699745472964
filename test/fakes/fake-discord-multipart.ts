import type { RecordedFile } from "./fake-discord.ts";

const separator = Buffer.from("\r\n\r\n");

function headerValue(headers: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s*(.+)$`, "im").exec(headers)?.[1]?.trim();
}

function parameter(header: string, name: string): string | undefined {
  return new RegExp(`;\\s*${name}="([^"]*)"`, "i").exec(header)?.[1];
}

/**
 * A multipart/form-data splitter over the raw bytes (file bodies are views, never copied): the
 * `fastMultipart` option of the fake uses it so that large uploads are not held up by parsing.
 * It reads what undici's FormData writes; tests keep the platform's own `Request.formData()`.
 */
export function splitMultipart(
  raw: Buffer,
  contentType: string,
): { json: unknown; files: RecordedFile[] } {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error("multipart body without a boundary");
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const files: RecordedFile[] = [];
  let json: unknown;
  // The first delimiter has no leading CRLF.
  let start = raw.indexOf(`--${boundary}`) + boundary.length + 2;
  while (start > boundary.length + 1 && raw.subarray(start, start + 2).toString() === "\r\n") {
    const headersEnd = raw.indexOf(separator, start);
    const end = raw.indexOf(delimiter, headersEnd);
    if (headersEnd === -1 || end === -1) break;
    const headers = raw.subarray(start + 2, headersEnd).toString("utf8");
    const data = raw.subarray(headersEnd + separator.length, end);
    const disposition = headerValue(headers, "content-disposition") ?? "";
    const field = parameter(disposition, "name") ?? "";
    const fileName = parameter(disposition, "filename");
    if (fileName === undefined) {
      if (field === "payload_json") json = JSON.parse(data.toString("utf8"));
    } else {
      const type = headerValue(headers, "content-type") ?? "application/octet-stream";
      files.push({ field, name: fileName, contentType: type, bytes: data });
    }
    start = end + delimiter.length;
  }
  return { json, files };
}
