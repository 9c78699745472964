import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../../src/server/http-server.ts";

const staticDirectory = new URL("./static/", import.meta.url);

/** The only files served; nothing else under static/ (or anywhere) can be asked for. */
const files: Readonly<Record<string, { name: string; contentType: string }>> = {
  "/": { name: "index.html", contentType: "text/html; charset=utf-8" },
  "/static/app.js": { name: "app.js", contentType: "text/javascript; charset=utf-8" },
  "/static/composer.js": { name: "composer.js", contentType: "text/javascript; charset=utf-8" },
  "/static/render.js": { name: "render.js", contentType: "text/javascript; charset=utf-8" },
  "/static/app.css": { name: "app.css", contentType: "text/css; charset=utf-8" },
  "/static/icon.svg": { name: "icon.svg", contentType: "image/svg+xml" },
};

/** A strict policy: our own script and styles only, media from this server or the media host. */
function securityPolicy(mediaOrigin: string): string {
  return [
    "default-src 'self'",
    `img-src 'self' blob: data: ${mediaOrigin}`,
    `media-src 'self' blob: ${mediaOrigin}`,
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

export function createStaticFiles(publicBaseUrl: string) {
  const policy = securityPolicy(new URL(publicBaseUrl).origin);
  return async function serveStatic(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const file = files[path];
    if (!file) return sendJson(response, 404, { error: "Not found" });
    const body = await readFile(new URL(file.name, staticDirectory));
    response.writeHead(200, {
      "content-type": file.contentType,
      "content-length": String(body.length),
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      ...(file.name === "index.html"
        ? { "content-security-policy": policy, "x-frame-options": "DENY" }
        : {}),
    });
    response.end(body);
  };
}
