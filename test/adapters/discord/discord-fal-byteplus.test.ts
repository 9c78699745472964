import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import {
  type PolledProviderWithFake,
  polledProviderWithFake,
} from "../../support/polled-providers.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  ephemeralTexts,
  jsonOf,
  sampleVideo,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
let subject: PolledProviderWithFake | undefined;
afterEach(async () => {
  await bot?.stop();
  await subject?.close();
  bot = undefined;
  subject = undefined;
});

describe.each(["fal", "byteplus"] as const)(
  "Discord → %s on the wire (fake Discord, fake provider, real clients)",
  (name) => {
    it("/video is made at the provider once and delivered in the thread exactly once, across a restart mid-job", async () => {
      subject = await polledProviderWithFake(name);
      const store = createMemoryJobStore();
      bot = await startBot({ provider: subject.provider(), store });
      const { fake, alice } = bot;
      const { id } = slashCommand(
        fake,
        "video",
        { prompt: "a kite over the dunes", duration: 5 },
        { user: alice, inThread: true },
      );
      expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });
      const queued = await waitForJob(
        store,
        (job) => job.state === "queued" && job.statusMessageId !== undefined,
        "the job queued at the provider, with its card",
      );
      expect(queued.provider).toBe(name);
      await waitUntil(
        () => cardTitle(fake, queued.statusMessageId ?? "")?.includes("Queued") === true,
        {
          message: "the Queued card",
        },
      );

      // Stopped with the job pending; it finishes while the bot is down.
      await bot.stop(false);
      const [providerJobId] = subject.jobIds();
      expect(providerJobId).toBe(queued.providerJobId);
      await subject.complete(providerJobId ?? "");

      bot = await startBot({ provider: subject.provider(), store, fake });
      const delivered = await waitForJob(store, (job) => job.state === "delivered", "the delivery");
      expect(delivered.id).toBe(queued.id);
      const [upload] = await waitForUploads(fake, 1);
      expect(upload?.path).toBe(`/channels/${fake.threadId}/messages`);
      expect(upload?.files[0]?.bytes.equals(await readFile(sampleVideo))).toBe(true);
      expect(String(jsonOf(upload ?? ({} as never)).content)).toContain(`<@${alice.id}>`);
      await waitUntil(
        () => cardTitle(fake, queued.statusMessageId ?? "")?.includes("Done") === true,
        {
          message: "the Done card",
        },
      );
      expect(uploads(fake)).toHaveLength(1);
      expect(subject.creates()).toBe(1);
      expect(subject.jobIds()).toHaveLength(1);
    });

    it("a value outside the provider's range is refused privately, naming field, value and that provider's range", async () => {
      subject = await polledProviderWithFake(name);
      bot = await startBot({ provider: subject.provider() });
      const { fake, alice } = bot;
      const { id } = slashCommand(
        fake,
        "video",
        { prompt: "a fox", resolution: "4k" },
        { user: alice },
      );
      // Checked by the service against the provider's own models, after the deferral.
      expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });
      await waitUntil(() => ephemeralTexts(fake.calls).length > 0, {
        message: "the private answer",
      });
      const range =
        name === "fal" ? "fal.ai; choose 480p, 720p." : "BytePlus; choose 480p, 720p, 1080p.";
      expect(ephemeralTexts(fake.calls)).toEqual([`Resolution 4k is not available on ${range}`]);
      expect(subject.creates()).toBe(0);
      expect(await bot.store.listByUser("discord", alice.id, 10)).toEqual([]);
    });
  },
);
