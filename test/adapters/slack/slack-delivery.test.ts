import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  createVideoLinks,
  type VideoLinks,
  videoLinkLifetimeMs,
} from "../../../src/media/index.ts";
import { buttonClick, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, cardTitle, completedUploads, waitForJob, waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack delivery", () => {
  it("a refused upload (file_upload_size_restricted) becomes a link with a note, in the same thread", async () => {
    bot = await startSlackBot({
      videoLink: (job) => `https://bot.example.com/videos/${job.id}?a=1&b=2`,
    });
    const { fake, alice } = bot;
    fake.failNext("files.completeUploadExternal", "file_upload_size_restricted");
    await fake.send("command", slashCommand(fake, alice, "/video", "a long drive"));
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    const card = cardOf(fake, job.id);
    const link = fake.messages.find(
      (message) =>
        message.thread_ts === card?.ts && JSON.stringify(message.blocks ?? []).includes("Download"),
    );
    const blocks = JSON.stringify(link?.blocks);
    expect(blocks).toContain(`"url":"https://bot.example.com/videos/${job.id}?a=1&b=2"`);
    expect(blocks).toContain("file_upload_size_restricted");
    expect(link?.text).toContain(`<@${alice.id}>`);
    expect(completedUploads(fake)).toHaveLength(1);

    // Slack sends the click on the link button to the app too: it is acknowledged (200), with no
    // answer in the channel, so Slack shows no warning icon.
    if (!link) throw new Error("no link message");
    const calls = fake.calls.length;
    const click = await fake.send("interactive", buttonClick(fake, alice, link, "download_video"));
    expect(click.status).toBe(200);
    const answers = fake.calls
      .slice(calls)
      .filter((call) => call.kind === "respond" || call.method.startsWith("chat.post"));
    expect(answers).toEqual([]);
  });

  it("a link-only delivery is a week-long link to the bot's own copy, and the message says until when", async () => {
    let links: VideoLinks | undefined;
    bot = await startSlackBot({ videoLink: (job) => links?.linkFor(job.id) });
    const current = bot;
    let clock = Date.now();
    links = createVideoLinks({
      server: current.server,
      secret: "a-media-signing-secret-of-32-characters-at-least",
      publicBaseUrl: current.baseUrl,
      videoOf: async (jobId) => {
        const job = await current.service.getJob(jobId);
        return job?.videoPath ? { path: job.videoPath, fileName: `${job.id}.mp4` } : undefined;
      },
      now: () => clock,
    });
    const { fake, alice } = current;
    fake.failNext("files.completeUploadExternal", "file_uploads_disabled");
    await fake.send("command", slashCommand(fake, alice, "/video", "a slow river"));
    const job = await waitForJob(
      current.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    const card = cardOf(fake, job.id);
    const message = fake.messages.find(
      (candidate) =>
        candidate.thread_ts === card?.ts &&
        JSON.stringify(candidate.blocks ?? []).includes("Download"),
    );
    const blocks = (message?.blocks ?? []) as Array<{
      type: string;
      elements?: Array<Record<string, unknown>>;
    }>;
    const button = blocks.find((block) => block.type === "actions")?.elements?.[0];
    const note = String(blocks.find((block) => block.type === "context")?.elements?.[0]?.text);
    expect(note).toMatch(
      /The link works until <!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^>]+> \(7 days\)\./,
    );
    const seconds = Number(/<!date\^(\d+)\^/.exec(note)?.[1]);
    expect(seconds * 1000).toBe(Math.floor((clock + videoLinkLifetimeMs) / 1000) * 1000);
    // Six days later the link still gives the video.
    clock += 6 * 24 * 60 * 60_000;
    const response = await fetch(String(button?.url));
    expect(response.status).toBe(200);
    expect(
      Buffer.from(await response.arrayBuffer()).equals(await readFile(String(job.videoPath))),
    ).toBe(true);
  });

  it("a prompt cannot ping anyone or break out: <!channel>, @here and links are escaped", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    await fake.send(
      "command",
      slashCommand(fake, alice, "/video", "&lt;!channel&gt; @here &lt;https://x.test|click&gt;"),
    );
    const [upload] = await waitForUploads(fake, 1);
    expect(upload?.comment).not.toContain("<!channel>");
    expect(upload?.comment).not.toContain("@here");
    expect(upload?.comment).toContain("&lt;!channel&gt;");
    expect(upload?.comment.match(/<[^>]*>/g)).toEqual([`<@${alice.id}>`]);
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    await waitUntil(() => cardTitle(fake, job.id) === "✅ Done");
    const cardText = JSON.stringify(cardOf(fake, job.id)?.blocks);
    expect(cardText).not.toContain("<!channel>");
    expect(cardText).not.toContain("<https://x.test");
  });

  it("a card that was deleted is posted again instead of failing", async () => {
    bot = await startSlackBot({ delayMs: 200 });
    const { fake, alice } = bot;
    fake.failNext("chat.update", "message_not_found");
    await fake.send("command", slashCommand(fake, alice, "/video", "a quiet harbour"));
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    await waitUntil(() => cardTitle(fake, job.id) === "✅ Done");
    expect(fake.callsTo("chat.postMessage").length).toBeGreaterThanOrEqual(2);
    expect((await bot.store.get(job.id))?.statusMessageId).toBe(
      fake.messages
        .filter((message) => JSON.stringify(message.blocks ?? []).includes(job.id))
        .at(-1)?.ts,
    );
  });
});
