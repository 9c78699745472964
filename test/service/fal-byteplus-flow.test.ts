import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { createBytePlusProvider } from "../../src/providers/byteplus/index.ts";
import { createFalProvider } from "../../src/providers/fal/index.ts";
import type { GenerationProvider } from "../../src/providers/generation-provider.ts";
import { startFakeBytePlusServer } from "../fakes/fake-byteplus-server.ts";
import { startFakeFalServer } from "../fakes/fake-fal-server.ts";
import { origin, type ServiceUnderTest, startService } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

const fixture = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));

/** The provider against its fake, with what a test needs to finish or block a job there. */
async function providerWithFake(name: "fal" | "byteplus") {
  if (name === "fal") {
    const fake = await startFakeFalServer();
    const provider = createFalProvider({
      apiKey: fake.apiKey,
      queueUrl: fake.baseUrl,
      logger: createSilentLogger(),
      trustedHosts: [fake.cdnBaseUrl],
      random: () => 0.5,
    });
    return {
      provider,
      idle: () => provider.idle(),
      complete: (id: string) => fake.complete(id),
      block: (id: string) =>
        fake.fail(id, "content policy violation", { type: "content_policy_violation" }),
      cancelled: (id: string) => fake.jobs.get(id)?.cancelled === true,
      close: () => fake.close(),
    };
  }
  const fake = await startFakeBytePlusServer();
  const provider = createBytePlusProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.baseUrl,
    logger: createSilentLogger(),
    trustedHosts: [fake.cdnBaseUrl],
    random: () => 0.5,
  });
  return {
    provider,
    idle: () => provider.idle(),
    complete: (id: string) => fake.complete(id),
    block: (id: string) => fake.fail(id, "InputTextSensitiveContentDetected", "Sensitive text"),
    cancelled: (id: string) => fake.tasks.get(id)?.status === "cancelled",
    close: () => fake.close(),
  };
}

describe.each(["fal", "byteplus"] as const)("%s through the generation service", (name) => {
  let subject: Awaited<ReturnType<typeof providerWithFake>>;
  let bot: ServiceUnderTest & { provider: GenerationProvider };
  let directory: string;

  async function setUp() {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    directory = mkdtempSync(join(tmpdir(), `seedance-${name}-`));
    subject = await providerWithFake(name);
    bot = await startService({
      directory,
      provider: subject.provider,
      policy: { dailySecondsPerUser: 30 },
    });
  }
  afterEach(async () => {
    await bot.close();
    await subject.provider.stop();
    await subject.close();
    rmSync(directory, { recursive: true, force: true });
    vi.useRealTimers();
  });

  /** Lets fake time pass until `condition` holds, each step's reads finishing first. */
  async function passUntil(condition: () => Promise<boolean>, message: string) {
    await waitUntil(
      async () => {
        if (await condition()) return true;
        await vi.advanceTimersByTimeAsync(10_000);
        await subject.idle();
        return false;
      },
      { message },
    );
  }
  const stateOf = async (jobId: string) => (await bot.service.getJob(jobId))?.state;

  it("makes text-, image- and reference-to-video and delivers each once, in its thread", async () => {
    await setUp();
    const requests = [
      { mode: "text" as const, prompt: "a lighthouse", duration: 5 },
      {
        mode: "image" as const,
        prompt: "the door opens",
        startImage: { url: "https://cdn.example/start.png" },
        duration: 5,
      },
      {
        mode: "reference" as const,
        prompt: "@Image1 waves",
        referenceImages: [{ url: "https://cdn.example/a.png" }],
        duration: 5,
      },
    ];
    for (const request of requests) {
      const job = await bot.service.submit(request, origin);
      expect(job.state).toBe("queued");
      await subject.complete(job.providerJobId ?? "");
      await passUntil(
        async () => (await stateOf(job.id)) === "delivered",
        `${request.mode} delivered`,
      );
      expect(bot.adapter.deliveriesOf(job.id)).toHaveLength(1);
      expect(bot.adapter.deliveriesOf(job.id)[0]?.bytes.equals(fixture)).toBe(true);
      expect(bot.adapter.deliveriesOf(job.id)[0]).toMatchObject({ threadId: "thread-1" });
    }
  });

  it("fails a moderation block with the content's words and gives the seconds back", async () => {
    await setUp();
    const job = await bot.service.submit({ mode: "text", prompt: "blocked", duration: 10 }, origin);
    expect((await bot.service.usage("test", "user-1")).user.seconds).toBe(10);
    await subject.block(job.providerJobId ?? "");
    await passUntil(async () => (await stateOf(job.id)) === "failed", "the block");
    expect((await bot.service.getJob(job.id))?.error).toMatch(
      /content filter blocked this video: the prompt or the files were refused, not the bot/,
    );
    expect((await bot.service.usage("test", "user-1")).user.seconds).toBe(0);
    expect(bot.adapter.deliveries).toHaveLength(0);
  });

  it("cancels a queued job at the provider", async () => {
    await setUp();
    const job = await bot.service.submit({ mode: "text", prompt: "never mind" }, origin);
    const cancelled = await bot.service.cancel(job.id, { platform: "test", userId: "user-1" });
    expect(cancelled.state).toBe("cancelled");
    expect(subject.cancelled(job.providerJobId ?? "")).toBe(true);
  });
});
