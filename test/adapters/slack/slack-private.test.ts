import { afterEach, describe, expect, it } from "vitest";
import {
  formValues,
  slashCommand,
  stateValue,
  viewSubmission,
} from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { completedUploads, waitForJob } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack private mode", () => {
  it("/video --private: ephemeral cards for the requester, the MP4 once in their DM, nothing in the channel", async () => {
    bot = await startSlackBot();
    const { fake, alice, store } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", "a quiet harbour --private"));
    const job = await waitForJob(store, (candidate) => candidate.state === "delivered", "delivery");
    expect(await store.listByUser("slack", alice.id, 10)).toHaveLength(1);
    expect(job.origin.private).toBe(true);
    expect(job.request.prompt).toBe("a quiet harbour");

    const direct = fake.directMessageChannels.get(alice.id);
    expect(direct).toBeDefined();
    const uploads = completedUploads(fake);
    expect(uploads.map((upload) => [upload.channel, upload.threadTs])).toEqual([
      [direct, undefined],
    ]);
    expect(fake.uploadedBytes(uploads[0]?.fileId ?? "")?.length).toBe(job.videoBytes);
    // Nothing is posted in the channel: no card, no result, no thread.
    expect(fake.messages.filter((message) => message.channel === fake.channelId)).toEqual([]);
    expect(fake.callsTo("chat.postMessage")).toEqual([]);
    // The card went to the requester alone: when the job was taken and when it was delivered.
    await waitUntil(() => fake.callsTo("chat.postEphemeral").length >= 2, {
      message: "the delivered card",
    });
    const cards = fake.callsTo("chat.postEphemeral");
    expect(cards).toHaveLength(2);
    expect(String(cards[1]?.fields.text ?? JSON.stringify(cards[1]?.fields.blocks))).toMatch(
      /^✅ Done: a quiet harbour/,
    );
    for (const card of cards) {
      expect(card.fields.user).toBe(alice.id);
      expect(card.fields.channel).toBe(fake.channelId);
    }
  });

  it("the private box on the /video form does the same: the MP4 in the DM, nothing in the channel", async () => {
    bot = await startSlackBot();
    const { fake, alice, store } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", ""));
    await waitUntil(() => fake.views.length === 1, { message: "the /video form" });
    const view = fake.views[0];
    if (!view) throw new Error("no view");
    const values = formValues({
      prompt: stateValue.text("a lighthouse at dusk"),
      private: stateValue.checked(),
    });
    const answer = await fake.send("interactive", viewSubmission(fake, alice, view, values));
    expect(answer.status).toBe(200);
    const job = await waitForJob(store, (candidate) => candidate.state === "delivered", "delivery");
    expect(job.origin.private).toBe(true);
    const direct = fake.directMessageChannels.get(alice.id);
    expect(completedUploads(fake).map((upload) => upload.channel)).toEqual([direct]);
    expect(fake.messages.filter((message) => message.channel === fake.channelId)).toEqual([]);
  });
});
