import { expect } from "vitest";
import type { FakeSlack } from "../../fakes/fake-slack.ts";
import type { FakeWorkspace } from "../../fakes/fake-slack-workspaces.ts";

export interface InstallAnswer {
  status: number;
  body: string;
}

/**
 * A browser adding the app to `workspace`: the bot's "Add to Slack" page, Slack's authorize page
 * (which approves at once), and back to the bot's redirect URL with the state cookie it set.
 */
export async function installThroughOauth(
  baseUrl: string,
  fake: FakeSlack,
  workspace: FakeWorkspace,
  { cookie: sendCookie = true } = {},
): Promise<InstallAnswer> {
  const page = await fetch(`${baseUrl}/slack/install`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const cookie = page.headers.getSetCookie()[0]?.split(";")[0] ?? "";
  const href = /<a href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!href) throw new Error(`no Add to Slack link on the install page: ${html}`);
  const authorize = new URL(href);
  expect(authorize.origin).toBe(fake.url);
  // The person picks the workspace on Slack's page.
  authorize.searchParams.set("team", workspace.teamId);
  const approved = await fetch(authorize, { redirect: "manual" });
  expect(approved.status).toBe(302);
  const back = approved.headers.get("location") ?? "";
  expect(back.startsWith(`${baseUrl}/slack/oauth_redirect?`)).toBe(true);
  const answer = await fetch(back, {
    redirect: "manual",
    headers: sendCookie ? { cookie } : {},
  });
  return { status: answer.status, body: await answer.text() };
}
