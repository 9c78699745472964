import { afterEach, describe, expect, it } from "vitest";
import type { InstallationStore } from "../../../src/installations/installation-store.ts";
import { createMemoryInstallationStore } from "../../../src/installations/memory-installation-store.ts";
import type { Job } from "../../../src/jobs/job.ts";
import type { FakeSlack, SlackCall } from "../../fakes/fake-slack.ts";
import { slashCommand } from "../../fakes/fake-slack-payloads.ts";
import type { FakeWorkspace } from "../../fakes/fake-slack-workspaces.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, type SlackBotOptions, startSlackBot } from "./slack-harness.ts";
import { installThroughOauth } from "./slack-oauth-install.ts";
import { waitForJob } from "./slack-views.ts";

let bot: SlackBot | undefined;
let installations: InstallationStore | undefined;
afterEach(async () => {
  await bot?.stop();
  await installations?.close();
  bot = undefined;
});

interface TwoWorkspaces {
  bot: SlackBot;
  alpha: FakeWorkspace;
  beta: FakeWorkspace;
}

/** A bot on OAuth with two workspaces installed through /slack/install. */
async function twoWorkspaces(options: SlackBotOptions = {}): Promise<TwoWorkspaces> {
  installations = createMemoryInstallationStore();
  bot = await startSlackBot({ ...options, oauth: { installations } });
  const alpha = bot.fake.workspaces.add("TALPHA");
  const beta = bot.fake.workspaces.add("TBETA");
  for (const workspace of [alpha, beta]) {
    expect((await installThroughOauth(bot.baseUrl, bot.fake, workspace)).status).toBe(200);
  }
  return { bot, alpha, beta };
}

/** `/video` typed in a workspace's channel. */
function videoCommand(fake: FakeSlack, workspace: FakeWorkspace, prompt: string) {
  return {
    ...slashCommand(fake, { id: `U0ALICE${workspace.teamId}`, name: "alice" }, "/video", prompt),
    team_id: workspace.teamId,
    channel_id: workspace.channelId,
  };
}

const channelOf = (call: SlackCall) => String(call.fields.channel ?? call.fields.channel_id ?? "");

/** Every Web API call about a workspace's channel, and the token it carried. */
function tokensFor(fake: FakeSlack, workspace: FakeWorkspace, calls = fake.calls): Set<string> {
  return new Set(
    calls
      .filter((call) => call.kind === "api" && channelOf(call) === workspace.channelId)
      .map((call) => call.authorization ?? "none"),
  );
}

function delivered(bot: SlackBot, workspace: FakeWorkspace): Promise<Job> {
  return waitForJob(
    bot.store,
    (job) => job.origin.spaceId === workspace.teamId && job.state === "delivered",
    `a delivery in ${workspace.teamId}`,
  );
}

describe("Slack in many workspaces (OAuth installs against the loopback Slack)", () => {
  it("a /video in each workspace: its card and video go to its own channel, with its own token only", async () => {
    const { bot, alpha, beta } = await twoWorkspaces();
    const { fake } = bot;
    expect((await fake.send("command", videoCommand(fake, alpha, "an alpine lake"))).status).toBe(
      200,
    );
    expect((await fake.send("command", videoCommand(fake, beta, "a beta fish"))).status).toBe(200);
    const [alphaJob, betaJob] = await Promise.all([delivered(bot, alpha), delivered(bot, beta)]);

    expect(alphaJob.origin).toMatchObject({ spaceId: "TALPHA", channelId: alpha.channelId });
    expect(betaJob.origin).toMatchObject({ spaceId: "TBETA", channelId: beta.channelId });
    expect(tokensFor(fake, alpha)).toEqual(new Set([`Bearer ${alpha.botToken}`]));
    expect(tokensFor(fake, beta)).toEqual(new Set([`Bearer ${beta.botToken}`]));
    // Each video was shared once, in its own workspace's channel, by that workspace's bot.
    for (const [workspace, job] of [
      [alpha, alphaJob],
      [beta, betaJob],
    ] as const) {
      const shares = fake
        .callsTo("files.completeUploadExternal")
        .filter((call) => channelOf(call) === workspace.channelId);
      expect(shares).toHaveLength(1);
      expect(shares[0]?.fields.thread_ts).toBe(job.statusMessageId);
      const card = fake.findMessage(workspace.channelId, job.statusMessageId ?? "");
      expect(card?.user).toBe(workspace.botUserId);
    }
    // No call went out without a workspace's token.
    expect(fake.calls.filter((call) => call.kind === "api" && !call.authorization)).toEqual(
      fake.callsTo("oauth.v2.access"),
    );
  });

  it("after a restart, a job's card edits and its delivery still use its workspace's token", async () => {
    const settings = { deliveryBackoffMs: { initialMs: 60_000, maxMs: 60_000 } };
    const started = await twoWorkspaces({ settings });
    const { alpha, beta } = started;
    const { fake, store } = started.bot;
    fake.failNext("files.completeUploadExternal", "fatal_error");
    await fake.send("command", videoCommand(fake, beta, "a beta fish after a restart"));
    const stalled = await waitForJob(store, (job) => job.attempts === 1, "a failed share");
    expect(stalled.state).toBe("delivering");
    const before = fake.calls.length;

    bot = await started.bot.restart();
    const job = await delivered(bot, beta);
    // The new process looked for the lost share, shared the video and edits the card, all as beta.
    await waitUntil(() => fake.calls.slice(before).some((call) => call.method === "chat.update"), {
      message: "the card's edit after the restart",
    });
    const afterRestart = fake.calls.slice(before);
    expect(afterRestart.map((call) => call.method)).toEqual(
      expect.arrayContaining(["conversations.replies", "files.completeUploadExternal"]),
    );
    expect(tokensFor(fake, beta, afterRestart)).toEqual(new Set([`Bearer ${beta.botToken}`]));
    expect(tokensFor(fake, alpha)).toEqual(new Set());
    expect(job.origin.spaceId).toBe("TBETA");
  });

  it("a workspace that never installed the app gets no job and no call with another's token", async () => {
    // The answer waits for the listener, so nothing can happen after it.
    const { bot, alpha } = await twoWorkspaces({ processBeforeResponse: true });
    const { fake } = bot;
    const stranger = fake.workspaces.add("TSTRANGER");
    const before = fake.calls.length;
    const answer = await fake.send("command", videoCommand(fake, stranger, "a stranger's request"));
    expect(answer.status).toBe(200);
    expect(await bot.store.listByStates(["waiting", "submitting", "queued", "running"])).toEqual(
      [],
    );
    const calls = fake.calls.slice(before).filter((call) => call.kind === "api");
    expect(calls).toEqual([]);
    expect(tokensFor(fake, alpha)).toEqual(new Set());
  });
});
