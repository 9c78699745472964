import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { createHttpAgent } from "../../../src/http/http-agent.ts";
import { trustedHostsOf } from "../../../src/http/trusted-hosts.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { type ConfiguredMediaHost, mediaHostFromConfig } from "../../../src/media/index.ts";
import type { PolledProvider } from "../../../src/providers/unified-task/polled-provider-shell.ts";
import type { FakeFalServer } from "../../fakes/fake-fal-server.ts";
import { directMessageEvent, eventEnvelope } from "../../fakes/fake-slack-payloads.ts";
import {
  type PolledProviderWithFake,
  polledProviderWithFake,
} from "../../support/polled-providers.ts";
import { pngFixture, type SlackBot, startSlackBot } from "./slack-harness.ts";
import { completedUploads, waitForJob, waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
let provider: PolledProvider | undefined;
let subject: PolledProviderWithFake | undefined;
let inputHost: ConfiguredMediaHost | undefined;
let directory: string | undefined;
let outbound: Agent | undefined;
afterEach(async () => {
  await bot?.stop();
  await provider?.stop();
  await inputHost?.stop();
  await outbound?.close();
  await subject?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
  bot = provider = subject = inputHost = directory = outbound = undefined;
});

describe("Slack → fal with MEDIA_HOST=provider: private files go through fal's storage", () => {
  it("a DM with an image reaches fal as a file_url in fal's storage, not a link to the bot; the video comes back once", async () => {
    subject = await polledProviderWithFake("fal");
    const fal = subject.fake as FakeFalServer;
    // As src/main.ts builds it: the configured host, behind the bot's one guarded agent.
    const config = loadConfig({
      PROVIDER: "fal",
      FAL_KEY: fal.apiKey,
      FAL_QUEUE_URL: fal.baseUrl,
      FAL_STORAGE_URL: fal.storageUrl,
      MEDIA_HOST: "provider",
      OUTBOUND_ALLOWED_HOSTS: new URL(fal.cdnBaseUrl).host,
    });
    outbound = createHttpAgent({ trustedHosts: trustedHostsOf(config) });
    directory = await mkdtemp(join(tmpdir(), "slack-fal-storage-"));
    inputHost = mediaHostFromConfig({
      config,
      serverHost: {
        publish: () => Promise.reject(new Error("not the bot's server")),
        resolveLocalPath: () => undefined,
      },
      dataDirectory: directory,
      logger: createSilentLogger(),
      dispatcher: outbound,
    });
    expect(inputHost).toMatchObject({ kind: "provider", usableBySlack: true });
    provider = subject.provider();
    const slackMediaHost = inputHost.slackMediaHost;
    if (!slackMediaHost) throw new Error("no host for Slack files");
    bot = await startSlackBot({ simulator: provider, inputHost: slackMediaHost });
    const { fake, alice } = bot;
    const png = await readFile(pngFixture);
    const files = [fake.file("boat.png", png, "image/png")];
    const message = fake.userMessage(alice, "the boat sails --dur 5", {
      files,
      channel: "D0ALICE",
    });
    expect(
      (await fake.send("event", eventEnvelope(fake, directMessageEvent(message)))).status,
    ).toBe(200);

    const queued = await waitForJob(bot.store, (job) => job.state === "queued", "the job at fal");
    const [request] = [...fal.jobs.values()];
    expect(request?.endpoint).toBe("image-to-video");
    const imageUrl = String(request?.input.image_url);
    expect(imageUrl.startsWith(`${fal.cdnBaseUrl}/uploads/`)).toBe(true);
    expect(imageUrl).not.toContain(bot.baseUrl);
    const [stored] = [...fal.storedFiles.values()];
    expect(stored).toMatchObject({ fileName: "boat.png", contentType: "image/png" });
    expect(stored?.bytes?.equals(png)).toBe(true);

    await subject.complete(queued.providerJobId ?? "");
    await waitForUploads(fake, 1);
    await waitForJob(bot.store, (job) => job.state === "delivered", "delivered");
    expect(completedUploads(fake)).toHaveLength(1);
    expect(fal.storedFiles.size).toBe(1);
  });
});
