import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe("generation service: cancel, regenerate, list", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  const requester = { platform: "test", userId: "user-1", userName: "Ada" };

  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it("cancels at the provider on the requester's behalf, and shows it", async () => {
    const { service, adapter } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "never mind" }, origin);
    const cancelled = await service.cancel(job.id, requester);
    expect(cancelled).toMatchObject({ state: "cancelled", error: "Cancelled by Ada." });
    expect(harness.fake.jobs.get(job.providerJobId ?? "")?.status).toBe("cancelled");
    await waitUntil(() => adapter.cards.get(job.id)?.last.state === "cancelled");
  });

  it("lets only the requester (or an admin) cancel, and says why", async () => {
    const { service } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "mine" }, origin);
    await expect(
      service.cancel(job.id, { platform: "test", userId: "someone-else" }),
    ).rejects.toThrow(`Only the person who asked for job ${job.id} (or an admin) can cancel it.`);
    await expect(
      service.cancel(job.id, { platform: "test", userId: "mod", isAdmin: true }),
    ).resolves.toMatchObject({
      state: "cancelled",
    });
    await expect(service.cancel(job.id, requester)).rejects.toThrow(
      "is already cancelled; there is nothing to cancel",
    );
    await expect(service.cancel("nope", requester)).rejects.toThrow(
      "No job nope; use /jobs to see yours.",
    );
  });

  it("regenerates with the same request, a new seed, linked to its parent, for the reacting user", async () => {
    const { service } = await harness.boot();
    const parent = await service.submit(
      { mode: "text", prompt: "again", seed: 7, duration: 5 },
      origin,
    );
    const child = await service.regenerate(parent.id, {
      platform: "test",
      userId: "user-2",
      userName: "Bo",
    });
    expect(child.parentJobId).toBe(parent.id);
    expect(child.origin).toMatchObject({
      channelId: "channel-1",
      threadId: "thread-1",
      userId: "user-2",
    });
    expect(child.request).toMatchObject({ prompt: "again", duration: 5 });
    expect(child.request.seed).not.toBe(7);
    const sent = harness.fake.requests
      .filter((request) => request.method === "POST")
      .map((request) => request.body);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ prompt: "again", duration: 5 });
    // Oxen's published Seedance schemas take no seed: kept on the job for the card, never sent.
    expect(sent[1]).not.toHaveProperty("seed");
    expect(child.request.ignoredSettings).toEqual(["seed"]);
    const chosen = await service.regenerate(parent.id, requester, { seed: 42 });
    expect(chosen.request.seed).toBe(42);
  });

  it("lists a user's jobs newest first", async () => {
    const { service } = await harness.boot();
    const first = await service.submit({ mode: "text", prompt: "one" }, origin);
    const second = await service.submit({ mode: "text", prompt: "two" }, origin);
    const listed = await service.jobsFor("test", "user-1");
    expect(listed.map((job) => job.id)).toEqual([second.id, first.id]);
    expect(await service.jobsFor("test", "user-2")).toEqual([]);
  });
});
