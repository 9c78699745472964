import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unknownOutcomeMessage } from "../../src/service/failure-messages.ts";
import { createHarness } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { platformLogName } from "./support/killable-configuration.ts";
import { KillableProcess } from "./support/killable-process.ts";

const textModel = "bytedance-seedance-2-0-text-to-video";
const isCreate = (request: { method: string; pathname: string }) =>
  request.method === "POST" && request.pathname === "/api/ai/queue";
const isDownload = (request: { method: string; pathname: string }) =>
  request.method === "GET" && request.pathname.endsWith(".mp4");

describe("fault: the bot process is killed (SIGKILL) mid-step, then started again on the same data", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  let bot: KillableProcess | undefined;

  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await bot?.kill();
    bot = undefined;
    await harness.close();
  });

  function startBot(prompt: string, upload: "hang" | "accepted" = "hang"): KillableProcess {
    bot = new KillableProcess({
      directory: harness.directory,
      baseUrl: harness.fake.baseUrl,
      apiKey: harness.fake.apiKey,
      prompt,
      upload,
    });
    return bot;
  }

  const creates = () => harness.fake.requests.filter(isCreate);
  const downloads = () => harness.fake.requests.filter(isDownload);

  async function onlyJob(service: {
    jobsFor(platform: string, userId: string): Promise<{ id: string }[]>;
  }) {
    const jobs = await service.jobsFor("test", "user-1");
    expect(jobs).toHaveLength(1);
    return jobs[0]?.id ?? "";
  }

  it("during submit, after the create landed: the job is adopted, never re-sent, delivered once", async () => {
    harness.fake.failNext("POST", "/api/ai/queue", 0, { hang: true });
    const killed = startBot("killed while enqueuing");
    await harness.fake.waitForRequests(isCreate);
    // The hub took the job; its answer never reached the process.
    const remote = harness.fake.addJob(textModel, { prompt: "killed while enqueuing" });
    await killed.kill();

    const { service, adapter } = await harness.boot();
    const jobId = await onlyJob(service);
    await waitUntil(async () => (await service.getJob(jobId))?.providerJobId === remote.id);
    harness.fake.complete(remote.id);
    await waitUntil(async () => (await service.getJob(jobId))?.state === "delivered");
    expect(adapter.deliveriesOf(jobId)).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    await waitUntil(() => adapter.cards.get(jobId)?.last.state === "delivered");
  });

  it("during submit, before the create landed: failed with a clear message, never re-sent", async () => {
    harness.fake.failNext("POST", "/api/ai/queue", 0, { hang: true });
    const killed = startBot("killed before the hub had it");
    await harness.fake.waitForRequests(isCreate);
    await killed.kill();

    const { service, adapter } = await harness.boot();
    const jobId = await onlyJob(service);
    await waitUntil(async () => (await service.getJob(jobId))?.state === "failed");
    expect((await service.getJob(jobId))?.error).toBe(unknownOutcomeMessage);
    await waitUntil(() => adapter.cards.get(jobId)?.last.state === "failed");
    expect(creates()).toHaveLength(1);
    expect(harness.fake.jobs.size).toBe(0);
    expect(adapter.deliveries).toHaveLength(0);
  });

  it("during download: the download starts over after the restart and the video is delivered once", async () => {
    const killed = startBot("killed while downloading");
    const submitted = await killed.reached("submitted");
    harness.fake.failNext("GET", /\.mp4$/, 0, { hang: true });
    await harness.fake.waitForSseClients(1);
    harness.fake.complete(submitted.providerJobId ?? "");
    await harness.fake.waitForRequests(isDownload);
    await killed.kill();

    const { service, adapter } = await harness.boot();
    await waitUntil(
      async () => (await service.getJob(submitted.jobId ?? ""))?.state === "delivered",
    );
    expect(adapter.deliveriesOf(submitted.jobId ?? "")).toHaveLength(1);
    expect(downloads()).toHaveLength(2);
    expect(creates()).toHaveLength(1);
  });

  it("during upload: the saved video is posted once after the restart, without downloading again", async () => {
    const killed = startBot("killed while uploading");
    const submitted = await killed.reached("submitted");
    await harness.fake.waitForSseClients(1);
    harness.fake.complete(submitted.providerJobId ?? "");
    await killed.reached("uploading");
    await killed.kill();

    const { service, adapter } = await harness.boot();
    await waitUntil(
      async () => (await service.getJob(submitted.jobId ?? ""))?.state === "delivered",
    );
    expect(adapter.deliveriesOf(submitted.jobId ?? "")).toHaveLength(1);
    expect(downloads()).toHaveLength(1);
    expect(creates()).toHaveLength(1);
  });

  // The platform took the video, then the process died before `delivering → delivered` was
  // written: on restart the adapter's `findDelivery` finds the post, so it is not posted again.
  it("after the platform accepted the upload but before it was recorded: still posted once", async () => {
    const killed = startBot("killed right after the upload", "accepted");
    const submitted = await killed.reached("submitted");
    await harness.fake.waitForSseClients(1);
    harness.fake.complete(submitted.providerJobId ?? "");
    await killed.reached("uploading");
    await killed.kill();

    const platformLog = join(harness.directory, platformLogName);
    const { service, adapter } = await harness.boot({ platformLog });
    const jobId = submitted.jobId ?? "";
    await waitUntil(async () => (await service.getJob(jobId))?.state === "delivered");
    const before = readFileSync(platformLog, "utf8").trim().split("\n");
    expect(before.length + adapter.deliveriesOf(jobId).length).toBe(1);
    expect(adapter.lookups).toEqual([jobId]);
    expect(downloads()).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    await waitUntil(() => adapter.cards.get(jobId)?.last.state === "delivered");
  });
});
