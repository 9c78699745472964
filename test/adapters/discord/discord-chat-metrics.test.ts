import { afterEach, describe, expect, it } from "vitest";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import {
  type MetricsEndpoint,
  startMetricsEndpoint,
} from "../../observability/metrics-endpoint.ts";
import { type Bot, startBot, waitForJob } from "./discord-harness.ts";

let bot: Bot | undefined;
let endpoint: MetricsEndpoint | undefined;
afterEach(async () => {
  await bot?.stop();
  await endpoint?.close();
  bot = undefined;
  endpoint = undefined;
});

async function videoFor(active: Bot, user: Bot["alice"], prompt: string): Promise<void> {
  const { id } = slashCommand(active.fake, "video", { prompt }, { user });
  await waitForJob(
    active.store,
    (job) => job.origin.interactionId === id && job.state === "delivered",
    `"${prompt}" delivered`,
  );
}

describe("Discord chat metrics at /metrics", () => {
  it("counts the acknowledgement of a slash command, then a failed upload by cause and status", async () => {
    endpoint = await startMetricsEndpoint();
    const metrics = endpoint;
    bot = await startBot({ metrics: (service, store) => metrics.wire(service, store) });
    const { fake, alice } = bot;

    const { id } = slashCommand(fake, "jobs", {}, { user: alice });
    await fake.waitForCall((call) => call.method === "PATCH" && call.path.includes(`token-${id}`));
    const afterCommand = await endpoint.scrape();
    // Counted once; how long it took depends on the machine, so only the count is checked here.
    expect(afterCommand).toContain('seedance_acknowledgement_seconds_count{platform="discord"} 1');
    expect(afterCommand).toMatch(
      /seedance_acknowledgement_seconds_bucket\{le="\+Inf",platform="discord"\} 1\n/,
    );
    expect(afterCommand).not.toContain("seedance_delivery_failures_total{");

    fake.failNext("POST", /^\/channels\/\d+\/messages$/, 503, { message: "upstream", code: 0 });
    await videoFor(bot, alice, "a calm lake");
    const afterFailure = await endpoint.scrape();
    expect(afterFailure).toContain(
      'seedance_delivery_failures_total{platform="discord",cause="upload_error"} 1',
    );
    expect(afterFailure).toContain(
      'seedance_chat_api_errors_total{platform="discord",code="503"} 1',
    );
    expect(afterFailure).toContain('seedance_acknowledgement_seconds_count{platform="discord"} 2');
  });

  it("counts a 429 that discord.js waited out, and a 413 answered with a link as too_large", async () => {
    endpoint = await startMetricsEndpoint();
    const metrics = endpoint;
    bot = await startBot({
      metrics: (service, store) => metrics.wire(service, store),
      videoLink: (job) => `https://bot.example/videos/${job.id}.mp4`,
    });
    const { fake, alice } = bot;
    fake.failNext("POST", /^\/channels\/\d+\/messages$/, 429, {
      message: "You are being rate limited.",
      retry_after: 0.01,
      global: false,
    });
    await videoFor(bot, alice, "a waterfall");
    fake.failNext("POST", /^\/channels\/\d+\/messages$/, 413, {
      message: "Request entity too large",
      code: 40005,
    });
    await videoFor(bot, alice, "a glacier");
    const text = await endpoint.scrape();
    expect(text).toContain('seedance_chat_api_errors_total{platform="discord",code="429"} 1');
    expect(text).toContain('seedance_chat_api_errors_total{platform="discord",code="413"} 1');
    expect(text).toContain(
      'seedance_delivery_failures_total{platform="discord",cause="too_large"} 1',
    );
    expect(text).not.toContain('cause="upload_error"');
  });
});
