import type { Readable } from "node:stream";
import { UserFacingError } from "../../src/errors.ts";
import { openWithScopedAuth } from "../../src/http/index.ts";
import type { SlackFileAccess } from "./slack-context.ts";

export const slackFileOrigin = "https://files.slack.com";

/** Slack's file host, plus the API's own origin when it is not slack.com (a fake, a proxy). */
export function slackFileOrigins(apiUrl: string): string[] {
  const api = new URL(apiUrl);
  const isSlack = api.hostname === "slack.com" || api.hostname.endsWith(".slack.com");
  return isSlack ? [slackFileOrigin] : [slackFileOrigin, api.origin];
}

/** Whether a URL is one of Slack's private file URLs (the only ones the bot token may go to). */
export function isSlackFileUrl(url: string, access: SlackFileAccess): boolean {
  try {
    return access.origins.includes(new URL(url).origin);
  } catch {
    return false;
  }
}

function refused(fileName: string, why: string): UserFacingError {
  return new UserFacingError(`Could not read ${fileName} from Slack: ${why}.`, {
    field: "attachments",
    code: "MEDIA_REJECTED",
  });
}

/** Drops a response body we will not read (undici reports the abort as an error; it is expected). */
function discard(body: Readable): void {
  body.on("error", () => undefined);
  body.destroy();
}

async function readAtMost(body: Readable, maxBytes: number, fileName: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      discard(body);
      throw tooLarge(fileName, maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(fileName: string, maxBytes: number): UserFacingError {
  return new UserFacingError(
    `${fileName} is larger than the ${Math.round(maxBytes / 1024 ** 2)} MB the model accepts for this kind of file.`,
    { field: "attachments", code: "MEDIA_REJECTED" },
  );
}

/**
 * Downloads a private Slack file with the bot token (sent to Slack's file host only, never along
 * a redirect elsewhere). The size is checked from Content-Length first, then while reading; an
 * HTML answer is Slack's login page, meaning the token could not read the file.
 */
export async function downloadSlackFile(
  url: string,
  access: SlackFileAccess,
  options: { maxBytes: number; fileName: string },
): Promise<Buffer> {
  const { maxBytes, fileName } = options;
  if (!isSlackFileUrl(url, access)) throw refused(fileName, "it is not stored in Slack");
  const target = new URL(url);
  const opened = await openWithScopedAuth(url, {
    authorizationHost: target.host,
    authorization: `Bearer ${access.botToken}`,
    authorizationProtocol: target.protocol === "http:" ? "http:" : "https:",
    ...(access.dispatcher ? { dispatcher: access.dispatcher } : {}),
  }).catch(() => {
    throw refused(fileName, "Slack could not be reached; try again in a moment");
  });
  const type = String(opened.headers["content-type"] ?? "");
  if (opened.statusCode !== 200 || type.startsWith("text/html")) {
    discard(opened.body);
    const why =
      opened.statusCode === 200
        ? "Slack asked for a login, so the app probably lacks the files:read scope"
        : `Slack answered HTTP ${opened.statusCode}`;
    throw refused(fileName, why);
  }
  const declared = Number(opened.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(opened.body);
    throw tooLarge(fileName, maxBytes);
  }
  return await readAtMost(opened.body, maxBytes, fileName);
}
