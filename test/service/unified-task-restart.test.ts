import { afterEach, describe, expect, it, vi } from "vitest";
import { unknownOutcomeMessage } from "../../src/service/failure-messages.ts";
import { createUnifiedTaskHarness } from "../providers/unified-task/unified-task-service-harness.ts";
import { origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe.each(["aihubmax", "evolink"] as const)("%s: restarts and unknown outcomes", (dialect) => {
  let harness: Awaited<ReturnType<typeof createUnifiedTaskHarness>>;

  afterEach(async () => {
    await harness.close();
    vi.useRealTimers();
  });

  it("delivers exactly once when the task finished while the bot was down", async () => {
    harness = await createUnifiedTaskHarness(dialect, { fake: { sendCallbacks: false } });
    const first = await harness.boot();
    const job = await first.service.submit({ mode: "text", prompt: "while you slept" }, origin);
    const id = job.providerJobId ?? "";
    harness.fake.setProgress(id, 40);
    await first.close();
    await harness.fake.complete(id);

    const second = await harness.boot();
    await waitUntil(async () => (await second.service.getJob(job.id))?.state === "delivered", {
      message: "delivery after the restart",
    });
    await second.provider.idle();
    expect(first.adapter.deliveries).toHaveLength(0);
    expect(second.adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(harness.fake.creates()).toHaveLength(1);
    expect(harness.fake.cdnRequests).toHaveLength(1);
  });

  it("picks a running task back up after a restart and keeps polling it", async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    harness = await createUnifiedTaskHarness(dialect, {
      fake: { sendCallbacks: false, estimatedTime: 60 },
    });
    const first = await harness.boot();
    const job = await first.service.submit({ mode: "text", prompt: "mid-task" }, origin);
    const id = job.providerJobId ?? "";
    await first.close();
    harness.fake.setProgress(id, 50);

    const second = await harness.boot();
    await waitUntil(async () => (await second.service.getJob(job.id))?.progress === 50);
    await harness.fake.complete(id);
    for (let step = 0; step < 6; step++) {
      await vi.advanceTimersByTimeAsync(5_000);
      await second.provider.idle();
    }
    await waitUntil(async () => (await second.service.getJob(job.id))?.state === "delivered");
    expect(second.adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(harness.fake.creates()).toHaveLength(1);
  });

  it("fails clearly, without re-sending, when a create's outcome is unknown", async () => {
    harness = await createUnifiedTaskHarness(dialect);
    const { service } = await harness.boot();
    harness.fake.failNext("POST", "/v1/videos/generations", 502);
    const job = await service.submit({ mode: "text", prompt: "lost in transit" }, origin);
    expect(job).toMatchObject({ state: "failed", error: unknownOutcomeMessage });
    expect(harness.fake.creates()).toHaveLength(1);
  });
});
