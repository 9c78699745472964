import { afterEach, describe, expect, it } from "vitest";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { completedUploads, waitForJob } from "../adapters/slack/slack-views.ts";
import {
  eventEnvelope,
  formValues,
  mentionEvent,
  reactionEvent,
  buttonClick as slackButton,
  slashCommand as slackCommand,
  stateValue,
  viewSubmission,
} from "../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";

let slack: SlackBot | undefined;
afterEach(async () => {
  await slack?.stop();
  slack = undefined;
});

describe("fault: Slack retries a request (X-Slack-Retry-Num) or a user double-submits", () => {
  it("a mention retried during handling and after a restart: one job, one video", async () => {
    slack = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = slack;
    const message = fake.userMessage(alice, `<@${fake.botUserId}> retried mention`);
    const envelope = eventEnvelope(fake, mentionEvent(fake, message));
    await Promise.all([
      fake.send("event", envelope),
      fake.send("event", envelope, { retryNum: 1 }),
    ]);
    await waitUntil(() => completedUploads(fake).length === 1, { message: "the video" });
    slack = await slack.restart();
    expect((await fake.send("event", envelope, { retryNum: 2 })).status).toBe(200);
    expect(await slack.store.listByUser("slack", alice.id, 10)).toHaveLength(1);
    expect(slack.provider.submits).toHaveLength(0);
    expect(completedUploads(fake)).toHaveLength(1);
  });

  it("a :repeat: reaction retried, also after a restart: one new take", async () => {
    slack = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice, bob } = slack;
    await fake.send("command", slackCommand(fake, alice, "/video", "a lantern"));
    await waitUntil(() => completedUploads(fake).length === 1, { message: "the first video" });
    const result = fake.messages.find(
      (message) => message.files && message.user === fake.botUserId,
    );
    if (!result) throw new Error("no result");
    const envelope = eventEnvelope(fake, reactionEvent(bob, "repeat", result));
    await fake.send("event", envelope);
    await fake.send("event", envelope, { retryNum: 1 });
    await waitUntil(() => completedUploads(fake).length === 2, { message: "the new take" });
    slack = await slack.restart();
    await fake.send("event", envelope, { retryNum: 2 });
    expect(await slack.store.listByUser("slack", bob.id, 10)).toHaveLength(1);
    expect(completedUploads(fake)).toHaveLength(2);
  });

  it("a form submitted twice (same view) and a button clicked twice (same trigger): one job each", async () => {
    slack = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = slack;
    await fake.send("command", slackCommand(fake, alice, "/video", ""));
    await waitUntil(() => fake.views.length === 1, { message: "the form" });
    const view = fake.views[0];
    if (!view) throw new Error("no form");
    const submission = viewSubmission(
      fake,
      alice,
      view,
      formValues({ prompt: stateValue.text("twice sent") }),
    );
    await Promise.all([fake.send("interactive", submission), fake.send("interactive", submission)]);
    const job = await waitForJob(
      slack.store,
      (candidate) => candidate.state === "delivered",
      "the video",
    );
    const card = fake.messages.find((message) =>
      JSON.stringify(message.blocks ?? []).includes(job.id),
    );
    if (!card) throw new Error("no card");
    const click = slackButton(fake, alice, card, `regenerate:${job.id}`);
    await fake.send("interactive", click);
    await fake.send("interactive", click);
    await waitUntil(() => completedUploads(fake).length === 2, {
      message: "the regenerated video",
    });
    expect(slack.provider.submits).toHaveLength(2);
    expect(await slack.store.listByUser("slack", alice.id, 10)).toHaveLength(2);
  });
});
