import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import type { PolledProvider } from "../../../src/providers/unified-task/polled-provider-shell.ts";
import { slashCommand } from "../../fakes/fake-slack-payloads.ts";
import {
  type PolledProviderWithFake,
  polledProviderWithFake,
} from "../../support/polled-providers.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, sampleVideo, startSlackBot } from "./slack-harness.ts";
import { cardOf, cardTitle, completedUploads, waitForJob, waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
let provider: PolledProvider | undefined;
let subject: PolledProviderWithFake | undefined;
afterEach(async () => {
  await bot?.stop();
  await provider?.stop();
  await subject?.close();
  bot = undefined;
  provider = undefined;
  subject = undefined;
});

describe.each(["fal", "byteplus"] as const)(
  "Slack → %s on the wire (fake Slack, fake provider, real clients)",
  (name) => {
    it("/video is made at the provider once and delivered in the card's thread exactly once, across a restart mid-job", async () => {
      subject = await polledProviderWithFake(name);
      const store = createMemoryJobStore();
      provider = subject.provider();
      bot = await startSlackBot({ simulator: provider, store });
      const { fake, alice } = bot;
      const answer = await fake.send(
        "command",
        slashCommand(fake, alice, "/video", "a kingfisher dives --dur 5"),
      );
      expect(answer.status).toBe(200);
      const queued = await waitForJob(
        store,
        (job) => job.state === "queued" && job.statusMessageId !== undefined,
        "the job queued at the provider, with its card",
      );
      expect(queued.provider).toBe(name);
      await waitUntil(() => cardTitle(fake, queued.id)?.includes("Queued") === true, {
        message: "the Queued card",
      });

      // A new process: the old one (and its provider) stopped with the job pending, which
      // finishes while the bot is down.
      await bot.stop(false);
      await provider.stop();
      const [providerJobId] = subject.jobIds();
      expect(providerJobId).toBe(queued.providerJobId);
      await subject.complete(providerJobId ?? "");
      provider = subject.provider();
      bot = await startSlackBot({ simulator: provider, store, fake });

      const [upload] = await waitForUploads(fake, 1);
      const delivered = await waitForJob(store, (job) => job.state === "delivered", "delivered");
      expect(delivered.id).toBe(queued.id);
      const card = cardOf(fake, queued.id);
      expect(upload).toMatchObject({ channel: fake.channelId, threadTs: card?.ts });
      expect(fake.uploadedBytes(upload?.fileId ?? "")?.equals(await readFile(sampleVideo))).toBe(
        true,
      );
      await waitUntil(() => cardTitle(fake, queued.id) === "✅ Done", {
        message: "the card to say done",
      });
      expect(completedUploads(fake)).toHaveLength(1);
      expect(subject.creates()).toBe(1);
      expect(subject.jobIds()).toHaveLength(1);
    });
  },
);
