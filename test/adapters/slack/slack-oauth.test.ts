import { afterEach, describe, expect, it } from "vitest";
import type { InstallationStore } from "../../../src/installations/installation-store.ts";
import { createMemoryInstallationStore } from "../../../src/installations/memory-installation-store.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { installThroughOauth } from "./slack-oauth-install.ts";

let bot: SlackBot | undefined;
let installations: InstallationStore | undefined;
afterEach(async () => {
  await bot?.stop();
  await installations?.close();
  bot = undefined;
});

async function oauthBot(): Promise<SlackBot> {
  installations = createMemoryInstallationStore();
  bot = await startSlackBot({ oauth: { installations } });
  return bot;
}

describe("Slack OAuth install (Bolt's InstallProvider against the loopback Slack)", () => {
  it("serves an Add to Slack page whose link asks Slack for the bot's scopes and comes back to the redirect URL", async () => {
    const { baseUrl, fake } = await oauthBot();
    const page = await fetch(`${baseUrl}/slack/install`);
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie()[0]).toMatch(/^slack-app-oauth-state=/);
    const href = /<a href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll("&amp;", "&") ?? "";
    const url = new URL(href);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/oauth/v2/authorize`);
    expect(url.searchParams.get("client_id")).toBe("111.222");
    expect(url.searchParams.get("scope")?.split(",")).toContain("chat:write");
    expect(url.searchParams.get("redirect_uri")).toBe(`${baseUrl}/slack/oauth_redirect`);
    expect(url.searchParams.get("state")).toBeTruthy();
  });

  it("keeps each workspace's own installation and token after the redirect", async () => {
    const { baseUrl, fake } = await oauthBot();
    const first = fake.workspaces.add("TALPHA");
    const second = fake.workspaces.add("TBETA");
    expect((await installThroughOauth(baseUrl, fake, first)).status).toBe(200);
    expect((await installThroughOauth(baseUrl, fake, second)).status).toBe(200);
    const stored = await installations?.list("slack");
    expect(stored?.map((key) => key.id)).toEqual(["team:TALPHA", "team:TBETA"]);
    const alpha = await installations?.find({ platform: "slack", id: "team:TALPHA" });
    const installation = JSON.parse(alpha?.secret ?? "{}");
    expect(installation.bot).toMatchObject({
      token: first.botToken,
      userId: first.botUserId,
      id: first.botId,
    });
    expect(installation.team).toEqual({ id: "TALPHA", name: "Team TALPHA" });
    // The code was traded with the app's credentials, and auth.test asked with the new token.
    expect(fake.callsTo("oauth.v2.access")).toHaveLength(2);
    expect(fake.callsTo("auth.test").map((call) => call.authorization)).toEqual([
      `Bearer ${first.botToken}`,
      `Bearer ${second.botToken}`,
    ]);
  });

  it("refuses a redirect without the state cookie of the browser that started it, and stores nothing", async () => {
    const { baseUrl, fake } = await oauthBot();
    const workspace = fake.workspaces.add("TALPHA");
    const answer = await installThroughOauth(baseUrl, fake, workspace, { cookie: false });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(fake.callsTo("oauth.v2.access")).toHaveLength(0);
    expect(await installations?.list("slack")).toEqual([]);
  });
});
