import { afterEach, describe, expect, it } from "vitest";
import { jobStates } from "../../../src/jobs/job.ts";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  ephemeralTexts,
  jsonOf,
  startBot,
  uploads,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
let hub: FakeOxenServer | undefined;
afterEach(async () => {
  await bot?.stop();
  await hub?.close();
  bot = undefined;
  hub = undefined;
});

/** Which take each uploaded video says it is, in the order they were posted. */
function uploadedTakes(fake: FakeDiscord): string[] {
  return uploads(fake).map((call) => /Take \d of \d/.exec(String(jsonOf(call).content))?.[0] ?? "");
}

async function takesIn(store: JobStore) {
  const jobs = await store.listByStates(jobStates);
  return jobs.toSorted((first, second) => (first.take?.index ?? 0) - (second.take?.index ?? 0));
}

describe("Discord /video --takes (real discord.js, real service)", () => {
  it("/video --takes 3: three videos in the thread, each once and labelled, each with its own card", async () => {
    bot = await startBot();
    const { fake, alice, store } = bot;
    const { id } = slashCommand(
      fake,
      "video",
      { prompt: "a paper boat --takes 3 --dur 5" },
      { user: alice, inThread: true },
    );
    expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 3);
    const jobs = await takesIn(store);
    await waitUntil(() => jobs.every((job) => cardTitle(fake, job.statusMessageId ?? "") !== ""));
    await waitUntil(async () => (await takesIn(store)).every((job) => job.state === "delivered"));

    expect(uploads(fake)).toHaveLength(3);
    expect(uploads(fake).map((call) => call.path)).toEqual(
      Array.from({ length: 3 }, () => `/channels/${fake.threadId}/messages`),
    );
    expect(uploadedTakes(fake).toSorted()).toEqual(["Take 1 of 3", "Take 2 of 3", "Take 3 of 3"]);
    expect(bot.provider.submits.map((submit) => submit.request.prompt)).toEqual([
      "a paper boat",
      "a paper boat",
      "a paper boat",
    ]);
    expect(new Set(bot.provider.submits.map((submit) => submit.request.seed)).size).toBe(3);

    // Take 1's card is the interaction's response; takes 2 and 3 have follow-ups of their own.
    const delivered = await takesIn(store);
    const interaction = fake.interactions.get(`token-${id}`);
    expect(delivered[0]?.statusMessageId).toBe(interaction?.originalMessageId);
    expect(new Set(delivered.map((job) => job.statusMessageId)).size).toBe(3);
    await waitUntil(() =>
      delivered.every(
        (job) =>
          cardTitle(fake, job.statusMessageId ?? "") === `✅ Done · Take ${job.take?.index} of 3`,
      ),
    );
    expect(fake.callsTo("POST", /^\/webhooks\/\d+\/[^/]+$/)).toHaveLength(2);
  });

  it("refuses takes that together overspend the daily budget, starting none, with the seconds left", async () => {
    bot = await startBot({ policy: { dailySecondsPerUser: 20 } });
    const { fake, alice, store } = bot;
    const { id } = slashCommand(
      fake,
      "video",
      { prompt: "a paper boat --dur 8", takes: 3 },
      { user: alice },
    );
    await callbackOf(fake, id);
    const refusal = () =>
      ephemeralTexts(fake.callsTo("POST", /^\/webhooks\//)).find((text) => text.includes("takes"));
    await waitUntil(() => refusal() !== undefined, { message: "the refusal" });
    expect(refusal()).toMatch(
      /^These 3 takes need 24 s together \(3 × 8 s\), but your daily budget of 20 s has 20 s left \(resets at 00:00 UTC, in .+\); none of them was started\.$/,
    );
    expect(await store.listByStates(jobStates)).toEqual([]);
    expect(bot.provider.submits).toEqual([]);
    expect(uploads(fake)).toEqual([]);
  });

  it("refuses more takes than MAX_TAKES, naming the field, the value and the range", async () => {
    bot = await startBot({ settings: { maxTakes: 2 } });
    const { fake, alice } = bot;
    const { id } = slashCommand(
      fake,
      "video",
      { prompt: "a paper boat", takes: 3 },
      { user: alice },
    );
    await callbackOf(fake, id);
    const texts = () => ephemeralTexts(fake.callsTo("POST", /^\/webhooks\//));
    await waitUntil(() => texts().length > 0, { message: "the refusal" });
    expect(texts()).toContain("takes 3 is out of range; choose a whole number from 1 to 2.");
    expect(bot.provider.submits).toEqual([]);
  });

  it("restarted after the first take was posted: the others are posted once, none is made again", async () => {
    hub = await startFakeOxenServer();
    const provider = () =>
      createOxenProvider({
        apiKey: hub?.apiKey ?? "",
        baseUrl: hub?.baseUrl ?? "",
        logger: createSilentLogger(),
      });
    bot = await startBot({ provider: provider() });
    const { fake, alice, store } = bot;
    slashCommand(
      fake,
      "video",
      { prompt: "a paper boat --takes 3" },
      { user: alice, inThread: true },
    );
    const isCreate = (request: { method: string; pathname: string }) =>
      request.method === "POST" && request.pathname === "/api/ai/queue";
    // Two at the provider (MAX_JOBS_PER_USER 2), the third waits its turn.
    await hub.waitForRequests(isCreate, 2);
    await waitUntil(async () => (await takesIn(store))[2]?.state === "waiting");
    await waitUntil(async () => (await takesIn(store))[0]?.providerJobId !== undefined);
    const [first] = await takesIn(store);
    hub.complete(first?.providerJobId ?? "");
    await waitForUploads(fake, 1);
    await hub.waitForRequests(isCreate, 3);
    await waitUntil(async () => (await takesIn(store)).every((job) => job.providerJobId));
    await waitUntil(async () => (await takesIn(store))[0]?.state === "delivered");
    await bot.stop(false);

    const others = (await takesIn(store)).slice(1);
    for (const job of others) hub.complete(job.providerJobId ?? "");
    bot = await startBot({ fake, store, provider: provider() });
    await waitUntil(async () => (await takesIn(store)).every((job) => job.state === "delivered"));
    expect(uploadedTakes(fake)).toEqual(["Take 1 of 3", expect.any(String), expect.any(String)]);
    expect(uploadedTakes(fake).toSorted()).toEqual(["Take 1 of 3", "Take 2 of 3", "Take 3 of 3"]);
    expect(hub.requests.filter(isCreate)).toHaveLength(3);
    expect(await store.listByStates(jobStates)).toHaveLength(3);
    // The restarted process edits the cards it had posted (no token now), and posts none again.
    const jobs = await takesIn(store);
    await waitUntil(() =>
      jobs.every(
        (job) =>
          cardTitle(fake, job.statusMessageId ?? "") === `✅ Done · Take ${job.take?.index} of 3`,
      ),
    );
    expect(fake.callsTo("POST", /^\/channels\/\d+\/messages$/)).toHaveLength(3);
    expect(fake.callsTo("POST", /^\/webhooks\/\d+\/[^/]+$/)).toHaveLength(2);
  });
});
