import type { ServerResponse } from "node:http";
import type { ApiAnswer, ApiFields } from "./fake-slack-api.ts";

/** One workspace on the fake, with the bot's own token and identity there. */
export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** A channel of this workspace. */
  channelId: string;
}

/** The app's OAuth credentials, as its settings page shows them. */
export const fakeOauthApp = {
  clientId: "111.222",
  clientSecret: "fake-client-secret",
  appId: "A0FAKE",
} as const;

/**
 * Workspaces that install the app through OAuth: Slack's authorize page (which here approves at
 * once for the workspace named by `team`), and `oauth.v2.access`, which trades a code once.
 */
export class FakeWorkspaces {
  readonly installable = new Map<string, FakeWorkspace>();
  /** Bot tokens Slack has issued and not revoked, by token. */
  readonly issued = new Map<string, FakeWorkspace>();
  readonly #codes = new Map<string, { workspace: FakeWorkspace; redirectUri: string }>();
  #sequence = 0;

  add(teamId: string, teamName = `Team ${teamId}`): FakeWorkspace {
    const suffix = teamId.toLowerCase();
    const workspace: FakeWorkspace = {
      teamId,
      teamName,
      botToken: `xoxb-${suffix}-bot-token`,
      botUserId: `U0BOT${teamId}`,
      botId: `B0BOT${teamId}`,
      channelId: `C0${teamId}`,
    };
    this.installable.set(teamId, workspace);
    return workspace;
  }

  /** The workspace a token belongs to, while it is valid. */
  byToken(token: string | undefined): FakeWorkspace | undefined {
    return token === undefined ? undefined : this.issued.get(token);
  }

  /** The app was removed from the workspace: its token stops working. */
  revoke(teamId: string): void {
    for (const [token, workspace] of this.issued) {
      if (workspace.teamId === teamId) this.issued.delete(token);
    }
  }

  /** GET /oauth/v2/authorize?client_id&scope&state&redirect_uri&team: "Allow", then back to the app. */
  authorize(url: URL, response: ServerResponse): void {
    const workspace = this.installable.get(url.searchParams.get("team") ?? "");
    const redirectUri = url.searchParams.get("redirect_uri");
    if (url.searchParams.get("client_id") !== fakeOauthApp.clientId || !workspace || !redirectUri) {
      return void response.writeHead(400, { "content-type": "text/plain" }).end("bad request");
    }
    this.#sequence += 1;
    const code = `code-${workspace.teamId}-${this.#sequence}`;
    this.#codes.set(code, { workspace, redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    back.searchParams.set("state", url.searchParams.get("state") ?? "");
    response.writeHead(302, { location: back.href }).end();
  }

  /** `oauth.v2.access`: the app's credentials and a code used once give the workspace's bot token. */
  access(fields: ApiFields): ApiAnswer {
    if (
      fields.client_id !== fakeOauthApp.clientId ||
      fields.client_secret !== fakeOauthApp.clientSecret
    ) {
      return { ok: false, error: "invalid_client_id" };
    }
    const pending = this.#codes.get(String(fields.code ?? ""));
    if (!pending) return { ok: false, error: "invalid_code" };
    this.#codes.delete(String(fields.code));
    if (fields.redirect_uri !== undefined && fields.redirect_uri !== pending.redirectUri) {
      return { ok: false, error: "bad_redirect_uri" };
    }
    const { workspace } = pending;
    this.issued.set(workspace.botToken, workspace);
    return {
      ok: true,
      access_token: workspace.botToken,
      token_type: "bot",
      scope: "chat:write,commands",
      bot_user_id: workspace.botUserId,
      app_id: fakeOauthApp.appId,
      team: { id: workspace.teamId, name: workspace.teamName },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: "U0INSTALLER" },
    };
  }
}
