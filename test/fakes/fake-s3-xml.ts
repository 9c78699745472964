import type { ServerResponse } from "node:http";

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (character) =>
      ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[character] ??
      character,
  );
}

/** `<Name>value</Name>` for each defined entry. */
export function elements(entries: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(entries)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join("");
}

export function sendXml(
  response: ServerResponse,
  status: number,
  root: string,
  body: string,
): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</${root}>`;
  response.writeHead(status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** S3's error document; a HEAD answer carries no body, as S3's does not. */
export function sendError(
  response: ServerResponse,
  method: string,
  status: number,
  code: string,
  message: string,
): void {
  if (method === "HEAD") {
    response.writeHead(status).end();
    return;
  }
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${elements({ Code: code, Message: message })}</Error>`;
  response.writeHead(status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** The `<Part>` entries of a CompleteMultipartUpload body, in the order given. */
export function partsOf(xml: string): Array<{ partNumber: number; etag: string }> {
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part = ""]) => ({
    partNumber: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1]),
    etag: (/<ETag>([^<]*)<\/ETag>/.exec(part)?.[1] ?? "").replace(/&quot;/g, '"'),
  }));
}
