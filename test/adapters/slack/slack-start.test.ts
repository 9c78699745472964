import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlackAdapter } from "../../../adapters/slack/index.ts";
import { ConfigError } from "../../../src/errors.ts";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { createSimulatorProvider } from "../../../src/providers/simulator/index.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import { GenerationService } from "../../../src/service/generation-service.ts";
import { FakeSlack } from "../../fakes/fake-slack.ts";

let fake: FakeSlack;
beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await fake.close();
});

function adapterWith(options: { botToken: string; signingSecret?: string }) {
  const logger = createSilentLogger();
  const service = new GenerationService({
    store: createMemoryJobStore(),
    provider: createSimulatorProvider({ ffmpegPath: null, logger }),
    logger,
    settings: { videoDirectory: "/nonexistent" },
  });
  return createSlackAdapter({
    ...options,
    apiUrl: fake.apiUrl,
    service,
    server: new HttpServer(logger),
    logger,
    apiRetries: 0,
  });
}

describe("Slack start-up", () => {
  it("a refused bot token fails start-up with a message saying which token and where to get it", async () => {
    const adapter = adapterWith({ botToken: "xoxb-wrong", signingSecret: fake.signingSecret });
    const error = await adapter.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\)/,
    );
    expect((error as Error).message).not.toContain("xoxb-wrong");
  });

  it("without an app token or a signing secret there is no way to receive events: a clear error", () => {
    expect(() => adapterWith({ botToken: fake.botToken })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it("learns who it is from auth.test", async () => {
    const adapter = adapterWith({ botToken: fake.botToken, signingSecret: fake.signingSecret });
    await adapter.start();
    expect(adapter.identity).toEqual({
      botUserId: fake.botUserId,
      botId: fake.botId,
      teamId: fake.teamId,
    });
    await adapter.stop();
  });
});
