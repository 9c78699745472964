import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ProviderError } from "../../src/errors.ts";
import { createMemoryJobStore } from "../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { HttpServer, registerLiveness } from "../../src/server/http-server.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { RecordingChatAdapter } from "../support/recording-chat-adapter.ts";
import { origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { writtenLogs } from "./support/log-lines.ts";
import { healthStatus } from "./support/raw-http.ts";

const cap = 4096;
const bytes = (line: string) => Buffer.byteLength(line);

describe("log lines stay under LOG_MAX_LINE_BYTES", () => {
  it("whatever is logged: huge strings, lists, deep objects, validation errors, long messages", () => {
    const logs = writtenLogs("info", cap);
    const rows = Array.from({ length: 20_000 }, (_, index) => ({ generation_id: index }));
    const parsed = z.object({ generations: z.array(z.object({ generation_id: z.string() })) });
    const invalid = parsed.safeParse({ generations: rows });
    const error = new ProviderError({
      message: "Oxen sent an unexpected answer to GET /api/ai/queue",
      provider: "oxen",
      cause: invalid.error,
    });
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 50; level++) deep = { deeper: deep };
    logs.logger.warn({ err: error, rows, deep, body: "x".repeat(5_000_000) }, "sweep failed");
    logs.logger.info("m".repeat(100_000));
    logs.logger.error(new Error("e".repeat(1_000_000)));
    logs.logger.info({ job: { prompt: "p".repeat(200_000) }, url: "https://bot/secret" }, "ok");
    expect(logs.lines).toHaveLength(4);
    for (const line of logs.lines) {
      expect(bytes(line)).toBeLessThanOrEqual(cap);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    const [warned] = logs.lines.map((line) => JSON.parse(line));
    expect(warned.msg).toBe("sweep failed");
    expect(warned.err.message).toBe("Oxen sent an unexpected answer to GET /api/ai/queue");
    expect(warned.err.cause.message).toMatch(/^20000 issues, the first: /);
    // Redaction still holds on the shortened objects.
    expect(logs.text()).not.toContain("https://bot/secret");
  });
});

describe("a provider's hostile answers on every sweep", () => {
  let fake: FakeOxenServer | undefined;
  let service: GenerationService | undefined;
  let health: HttpServer | undefined;
  let directory: string | undefined;
  afterEach(async () => {
    await service?.stop();
    await health?.close();
    await fake?.close();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  async function start(maxResponseBytes?: number) {
    fake = await startFakeOxenServer();
    directory = mkdtempSync(join(tmpdir(), "seedance-logs-"));
    const logs = writtenLogs("debug", cap);
    service = new GenerationService({
      store: createMemoryJobStore(),
      provider: createOxenProvider({
        apiKey: fake.apiKey,
        baseUrl: fake.baseUrl,
        logger: logs.logger,
        ...(maxResponseBytes ? { maxResponseBytes } : {}),
      }),
      logger: logs.logger,
      settings: { videoDirectory: join(directory, "videos"), sweepIntervalMs: 20 },
    });
    service.registerAdapter(new RecordingChatAdapter("test"));
    await service.start();
    health = new HttpServer(createSilentLogger());
    registerLiveness(health);
    const healthUrl = `http://127.0.0.1:${(await health.listen(0, "127.0.0.1")).port}`;
    await service.submit({ mode: "text", prompt: "pending", duration: 4 }, origin);
    return { fake, logs, healthUrl };
  }

  const queueLists = (server: FakeOxenServer) =>
    server.requests.filter(
      (request) => request.method === "GET" && request.pathname === "/api/ai/queue",
    ).length;
  const sweepFailures = (lines: string[]) =>
    lines.filter((line) => line.includes('"msg":"sweep failed"')).length;
  const malformedList = {
    generations: Array.from({ length: 20_000 }, (_, index) => ({
      generation_id: index,
      status: [],
    })),
  };

  it("a malformed list of 20,000 rows: three sweeps fail, three short lines", async () => {
    const { fake, logs, healthUrl } = await start();
    fake.failNext("GET", "/api/ai/queue", 200, { body: malformedList, times: 3 });
    await waitUntil(() => sweepFailures(logs.lines) >= 3, { message: "three failed sweeps" });
    expect(await healthStatus(healthUrl)).toBe(200);
    for (const line of logs.lines) expect(bytes(line)).toBeLessThanOrEqual(cap);
  });

  it("a list larger than PROVIDER_MAX_RESPONSE_BYTES: not read, not retried, said briefly", async () => {
    const { fake, logs, healthUrl } = await start(64 * 1024);
    const before = queueLists(fake);
    fake.failNext("GET", "/api/ai/queue", 200, { body: malformedList, times: 2 });
    await waitUntil(() => sweepFailures(logs.lines) >= 2, { message: "two failed sweeps" });
    const failures = logs.lines.filter((line) => line.includes('"msg":"sweep failed"'));
    expect(failures[0]).toContain(
      "larger than the 64 KB the bot reads (PROVIDER_MAX_RESPONSE_BYTES)",
    );
    // One request per failed sweep: an oversized answer is not asked for again at once.
    expect(queueLists(fake) - before).toBeLessThanOrEqual(sweepFailures(logs.lines) + 1);
    expect(await healthStatus(healthUrl)).toBe(200);
    for (const line of logs.lines) expect(bytes(line)).toBeLessThanOrEqual(cap);
  });
});
