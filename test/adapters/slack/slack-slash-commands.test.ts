import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { holdSubmits, type SlackBot, sampleVideo, startSlackBot } from "./slack-harness.ts";
import {
  cardOf,
  cardTitle,
  completedUploads,
  privateNotes,
  waitForJob,
  waitForUploads,
} from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack slash commands (real Bolt app against a loopback Slack)", () => {
  it("/video with flags: acknowledged before the provider call, the right model and parameters, the MP4 uploaded into the card's thread once", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    // The provider is held: the answer must come without waiting for it.
    const release = holdSubmits(bot.provider);
    const answer = await fake.send(
      "command",
      slashCommand(
        fake,
        alice,
        "/video",
        "a fox &amp; a hare in snow --ar 9:16 --dur 8 --res 720p --seed 7 --fast --no-audio",
      ),
    );
    expect(answer.status).toBe(200);
    release();

    const [upload] = await waitForUploads(fake, 1);
    expect(bot.provider.submits).toHaveLength(1);
    expect(bot.provider.submits[0]).toMatchObject({
      model: { id: "bytedance-seedance-2-0-fast-text-to-video" },
      request: {
        mode: "text",
        tier: "fast",
        prompt: "a fox & a hare in snow",
        aspectRatio: "9:16",
        duration: 8,
        resolution: "720p",
        seed: 7,
        generateAudio: false,
      },
    });
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    // The card was posted in the channel; the video answers in the thread under it.
    const card = cardOf(fake, job.id);
    expect(card?.thread_ts).toBeUndefined();
    expect(job.statusMessageId).toBe(card?.ts);
    expect(upload).toMatchObject({ channel: fake.channelId, threadTs: card?.ts });
    expect(upload?.comment.match(/<@\w+>/g)).toEqual([`<@${alice.id}>`]);
    expect(upload?.comment).toContain("a fox &amp; a hare in snow");
    expect(fake.uploadedBytes(upload?.fileId ?? "")?.equals(await readFile(sampleVideo))).toBe(
      true,
    );
    await waitUntil(() => cardTitle(fake, job.id) === "✅ Done", {
      message: "the card to say done",
    });
    expect(completedUploads(fake)).toHaveLength(1);
  });

  it("a response_url that is not Slack's gets nothing: answers go only to Slack's own hosts", async () => {
    bot = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = bot;
    const elsewhere: string[] = [];
    const trap = createServer((incoming, outgoing) => {
      elsewhere.push(incoming.url ?? "");
      outgoing.end("ok");
    });
    trap.listen(0, "127.0.0.1");
    await once(trap, "listening");
    const port = (trap.address() as AddressInfo).port;
    try {
      const command = {
        ...slashCommand(fake, alice, "/jobs", ""),
        response_url: `http://127.0.0.1:${port}/internal`,
      };
      expect((await fake.send("command", command)).status).toBe(200);
      // The same answer to Slack's response_url arrives: the one above was refused, not lost.
      await fake.send("command", slashCommand(fake, alice, "/jobs", ""));
      await waitUntil(() => privateNotes(fake).length === 1, { message: "the private answer" });
      expect(elsewhere).toEqual([]);
    } finally {
      trap.close();
    }
  });

  it("/video with a bad flag answers privately in the acknowledgement and makes no job", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const answer = await fake.send(
      "command",
      slashCommand(fake, alice, "/video", "a cat --dur 99"),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("--dur 99 is not valid");
    expect(bot.provider.submits).toHaveLength(0);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("/video without text opens the form rendered from the command definition", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", ""));
    await waitUntil(() => fake.views.length === 1, { message: "views.open" });
    const view = fake.views[0];
    expect(view?.callback_id).toBe("command:video");
    expect(view?.blocks.map((block) => block.block_id)).toEqual([
      "prompt",
      "resolution",
      "duration",
      "aspect_ratio",
      "audio",
      "seed",
      "private",
      "takes",
      "fast",
    ]);
    expect(JSON.parse(view?.private_metadata ?? "{}")).toMatchObject({ channelId: fake.channelId });
  });

  it("/animate with text opens its form (files need one) with the text in the prompt field", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    await fake.send("command", slashCommand(fake, alice, "/animate", "the cat yawns --dur 6"));
    await waitUntil(() => fake.views.length === 1, { message: "views.open" });
    const prompt = fake.views[0]?.blocks.find((block) => block.block_id === "prompt");
    expect(prompt).toMatchObject({
      element: { type: "plain_text_input", initial_value: "the cat yawns --dur 6" },
    });
    expect(bot.provider.submits).toHaveLength(0);
  });

  it("/jobs lists the user's videos privately; /cancel cancels a pending one", async () => {
    bot = await startSlackBot({ delayMs: 60_000 });
    const { fake, alice } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", "a slow river"));
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "queued" || candidate.state === "running",
      "pending job",
    );

    await fake.send("command", slashCommand(fake, alice, "/jobs", ""));
    await waitUntil(() => privateNotes(fake).some((note) => note.includes(job.id)), {
      message: "/jobs answer",
    });
    expect(privateNotes(fake).find((note) => note.includes(job.id))).toContain("1 pending");

    await fake.send("command", slashCommand(fake, alice, "/cancel", job.id));
    await waitForJob(
      bot.store,
      (candidate) => candidate.id === job.id && candidate.state === "cancelled",
      "cancelled",
    );
    await waitUntil(
      () => privateNotes(fake).some((note) => note.startsWith(`Cancelled job \`${job.id}\``)),
      { message: "cancel answer" },
    );
    await waitUntil(() => cardTitle(fake, job.id) === "🚫 Cancelled", {
      message: "card cancelled",
    });
  });
});
