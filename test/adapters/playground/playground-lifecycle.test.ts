import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPlaygroundAdapter } from "../../../adapters/playground/index.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { clientId, PlaygroundClient } from "./playground-client.ts";
import { type PlaygroundStack, startPlaygroundStack } from "./playground-stack.ts";

const png = join(import.meta.dirname, "..", "..", "fixtures", "media", "tiny.png");

describe("playground lifecycle", () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function stack(
    options: Parameters<typeof startPlaygroundStack>[0],
  ): Promise<PlaygroundStack> {
    const started = await startPlaygroundStack(options);
    cleanups.push(() => started.close());
    return started;
  }

  it("shows earlier jobs' cards, videos included, after the adapter restarts", async () => {
    const first = await stack({ delayMs: 30 });
    const client = new PlaygroundClient(first.baseUrl);
    const threadId = clientId();
    const sent = await client.sendMessage(threadId, "/video a boat --dur 4");
    const jobId = sent.body.entries?.find((entry) => entry.kind === "card")?.jobId ?? "";
    await waitUntil(async () => (await first.service.getJob(jobId))?.state === "delivered", {
      message: "delivery",
    });

    const logger = createSilentLogger();
    const server = new HttpServer(logger);
    const address = await server.listen(0, "127.0.0.1");
    const baseUrl = `http://127.0.0.1:${address.port}`;
    const restarted = createPlaygroundAdapter({
      service: first.service,
      server,
      mediaHost: first.mediaHost,
      logger,
      simulated: true,
      publicBaseUrl: baseUrl,
    });
    await restarted.start();
    const events = await new PlaygroundClient(baseUrl).events();
    cleanups.push(async () => {
      events.close();
      await restarted.stop();
      await server.close();
    });
    await waitUntil(() => events.cards(threadId).length === 1, { message: "the restored card" });
    const [card] = events.cards(threadId);
    expect(card).toMatchObject({ jobId, phase: "done", videoUrl: `api/videos/${jobId}` });
    const video = await new PlaygroundClient(baseUrl).bytes(card?.videoUrl ?? "");
    expect(video.status).toBe(200);
  });

  it("with a real provider on a loopback address, refuses uploads the provider could not fetch", async () => {
    const real = await stack({ delayMs: 30, simulated: false });
    const answer = await new PlaygroundClient(real.baseUrl).upload(await readFile(png), "cat.png");
    expect(answer.status).toBe(422);
    expect(answer.body.error?.message).toMatch(
      /cannot fetch files from http:\/\/127\.0\.0\.1.*PUBLIC_BASE_URL/,
    );
  });
});
