import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import {
  type BytePlusProvider,
  createBytePlusProvider,
} from "../../src/providers/byteplus/index.ts";
import { type FakeBytePlusServer, startFakeBytePlusServer } from "../fakes/fake-byteplus-server.ts";
import { origin, type ServiceUnderTest, startService } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

const frame = (url: string, role: string) => ({ type: "image_url", image_url: { url }, role });

describe("BytePlus frames through the generation service", () => {
  let fake: FakeBytePlusServer;
  let provider: BytePlusProvider;
  let bot: ServiceUnderTest;
  let directory: string;

  afterEach(async () => {
    await bot.close();
    await provider.stop();
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
    vi.useRealTimers();
  });

  /** Lets fake time pass until `condition` holds, each step's reads finishing first. */
  async function passUntil(condition: () => Promise<boolean>, message: string) {
    await waitUntil(
      async () => {
        if (await condition()) return true;
        await vi.advanceTimersByTimeAsync(10_000);
        await provider.idle();
        return false;
      },
      { message },
    );
  }

  it("sends the end image as last_frame, keeps Ark's returned last frame, and Extend starts from it", async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    directory = mkdtempSync(join(tmpdir(), "seedance-byteplus-frames-"));
    fake = await startFakeBytePlusServer();
    provider = createBytePlusProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: createSilentLogger(),
      trustedHosts: [fake.cdnBaseUrl],
      random: () => 0.5,
    });
    // No frame host: Extend cannot publish a frame of its own, only pass on the provider's.
    bot = await startService({ directory, provider });

    const job = await bot.service.submit(
      {
        mode: "image",
        prompt: "the door opens",
        startImage: { url: "https://cdn.example/start.png" },
        endImage: { url: "https://cdn.example/end.png" },
        duration: 5,
      },
      origin,
    );
    const providerJobId = job.providerJobId ?? "";
    expect(fake.tasks.get(providerJobId)?.body.content).toEqual([
      { type: "text", text: "the door opens" },
      frame("https://cdn.example/start.png", "first_frame"),
      frame("https://cdn.example/end.png", "last_frame"),
    ]);
    await fake.complete(providerJobId);
    const stateOf = async () => (await bot.service.getJob(job.id))?.state;
    // Time passes only until Ark is read; the delivery needs none, and the frame stays fresh.
    await passUntil(async () => (await stateOf()) !== "queued", "the task read back");
    await waitUntil(async () => (await stateOf()) === "delivered", { message: "the delivery" });
    const lastFrameUrl = `${fake.cdnBaseUrl}/tos/${providerJobId}.png`;
    expect((await bot.service.getJob(job.id))?.lastFrameUrl).toBe(lastFrameUrl);
    expect(bot.adapter.deliveriesOf(job.id)).toHaveLength(1);

    const extension = await bot.service.extend(job.id, { platform: "test", userId: "user-1" });
    expect(extension).toMatchObject({ state: "queued", extendsJobId: job.id });
    expect(fake.tasks.get(extension.providerJobId ?? "")?.body.content).toEqual([
      { type: "text", text: "the door opens" },
      frame(lastFrameUrl, "first_frame"),
    ]);
    expect(fake.creates()).toHaveLength(2);
  });
});
