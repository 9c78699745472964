import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statusTitle } from "../../src/chat/job-summary.ts";
import { createHttpAgent } from "../../src/http/http-agent.ts";
import { OutboundGuard } from "../../src/http/outbound-guard.ts";
import type { Job } from "../../src/jobs/job.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { HttpServer, registerLiveness } from "../../src/server/http-server.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { startLoopbackTrap } from "../inputs/support/loopback-trap.ts";
import { origin, type ServiceUnderTest, startService } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { healthStatus } from "./support/raw-http.ts";
import { tableLookup } from "./support/table-lookup.ts";

let fake: FakeOxenServer;
let trap: Awaited<ReturnType<typeof startLoopbackTrap>>;
let redirector: Server;
let redirectorUrl: string;
let agent: Agent;
let bot: ServiceUnderTest;
let health: HttpServer;
let healthUrl: string;
let directory: string;

beforeAll(async () => {
  fake = await startFakeOxenServer();
  trap = await startLoopbackTrap();
  // A host the operator trusts (OUTBOUND_ALLOWED_HOSTS) whose links redirect somewhere private.
  redirector = createServer((request, response) => {
    const to = new URL(request.url ?? "/", "http://x").searchParams.get("to") ?? "";
    response.writeHead(302, { location: to }).end();
  });
  await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
  redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  // The bot's own agent, with names resolved from a table (as a hostile DNS zone would answer).
  const guard = new OutboundGuard({
    trustedHosts: [fake.baseUrl, redirectorUrl],
    lookup: tableLookup({
      localhost: ["127.0.0.1"],
      "metadata.video-cdn.test": ["169.254.169.254"],
      "internal.video-cdn.test": ["10.0.0.1"],
      "rebound.video-cdn.test": ["127.0.0.1"],
      "mapped.video-cdn.test": ["::ffff:10.0.0.1"],
    }),
  });
  agent = createHttpAgent({ guard });
  directory = mkdtempSync(join(tmpdir(), "seedance-outbound-"));
  const provider = createOxenProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.baseUrl,
    logger: createSilentLogger(),
    dispatcher: agent,
  });
  bot = await startService({ directory, provider, settings: { maxJobsPerUser: 0 } });
  health = new HttpServer(createSilentLogger());
  registerLiveness(health);
  healthUrl = `http://127.0.0.1:${(await health.listen(0, "127.0.0.1")).port}`;
});

afterAll(async () => {
  await bot.close();
  await agent.close();
  await health.close();
  redirector.closeAllConnections();
  await new Promise<void>((resolve) => redirector.close(() => resolve()));
  await trap.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

const hostile = () => [
  "http://169.254.169.254/latest/meta-data/video.mp4",
  "http://10.0.0.1/video.mp4",
  "http://[::ffff:10.0.0.1]/video.mp4",
  "http://[fd00::1]/video.mp4",
  "http://100.64.0.1/video.mp4",
  `http://localhost:${trap.port}/video.mp4`,
  `http://2130706433:${trap.port}/decimal.mp4`,
  "http://metadata.video-cdn.test/video.mp4",
  "http://internal.video-cdn.test/video.mp4",
  `http://rebound.video-cdn.test:${trap.port}/video.mp4`,
  "http://mapped.video-cdn.test/video.mp4",
  `${redirectorUrl}/r?to=${encodeURIComponent("http://10.0.0.1/video.mp4")}`,
  `${redirectorUrl}/r?to=${encodeURIComponent(`http://localhost:${trap.port}/redirected.mp4`)}`,
  `${redirectorUrl}/r?to=${encodeURIComponent("http://metadata.video-cdn.test/redirected.mp4")}`,
];

describe("a hostile provider's result links are never fetched", () => {
  it("each one fails the delivery with an unusable-link message on the card; /healthz answers", async () => {
    const links = hostile();
    const jobs: Job[] = [];
    for (const [index, link] of links.entries()) {
      const job = await bot.service.submit(
        { mode: "text", prompt: `hostile link ${index}`, duration: 4 },
        { ...origin, messageId: `m-${index}` },
      );
      fake.complete(job.providerJobId ?? "", { resultUrl: link });
      jobs.push(job);
    }
    expect(await healthStatus(healthUrl)).toBe(200);
    await waitUntil(
      () => jobs.every((job) => bot.adapter.cards.get(job.id)?.last.state === "delivery_failed"),
      { message: "every delivery refused" },
    );
    for (const job of jobs) {
      const card = bot.adapter.cards.get(job.id)?.last;
      expect(card && statusTitle(card)).toContain("Made, but not posted");
      expect(card?.error).toContain("Oxen returned an unusable link for the video");
      expect(card?.error).toContain("private or local address");
      // Refused for good at once: not retried as if the network had failed.
      expect(card?.attempts).toBe(1);
    }
    expect(bot.adapter.deliveries).toEqual([]);
    expect(trap.hits).toEqual([]);
    expect(await healthStatus(healthUrl)).toBe(200);
  });

  it("the hub's own link (the configured provider host, on loopback here) is still fetched", async () => {
    const job = await bot.service.submit(
      { mode: "text", prompt: "a fair one", duration: 4 },
      origin,
    );
    fake.complete(job.providerJobId ?? "");
    await waitUntil(() => bot.adapter.deliveries.some((posted) => posted.jobId === job.id), {
      message: "the video",
    });
  });
});
