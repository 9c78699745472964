import { afterEach, describe, expect, it } from "vitest";
import { createMemoryJobStore } from "../../src/jobs/memory-job-store.ts";
import { openAccess } from "../../src/policy/access-list.ts";
import { UsagePolicy } from "../../src/policy/usage-policy.ts";
import { createHarness, origin } from "../support/service-harness.ts";

const request = (prompt: string, duration = 5) => ({
  mode: "text" as const,
  tier: "standard" as const,
  prompt,
  duration,
  referenceImages: [],
  referenceVideos: [],
  referenceAudios: [],
});
const noon = Date.UTC(2026, 10, 22, 12, 0, 0);
let ids = 0;
/** A candidate job for the policy to admit. */
const candidate = (prompt: string, who = origin, duration = 5, id = `job-${++ids}`) => ({
  id,
  origin: who,
  request: request(prompt, duration),
  provider: "p",
  model: "m",
  createdAt: noon,
});

describe("usage policy", () => {
  it("refuses prompts matching a blocked pattern, ignoring accents and case, without echoing the rule", async () => {
    const policy = new UsagePolicy(
      { blockedPromptPatterns: ["forbidden", "cafe\\s+noir"] },
      createMemoryJobStore(),
    );
    await expect(policy.admit(candidate("A CAFÉ  NOIR scene"))).rejects.toThrow(
      "The prompt matches a phrase this server does not allow (rule 2); please rephrase it.",
    );
    await expect(policy.admit(candidate("a sunny café"))).resolves.toMatchObject({
      state: "submitting",
    });
  });

  it.each([
    [{ deniedUsers: ["user-1"] }, "You are not allowed to generate videos"],
    [{ deniedUsers: ["slack:user-1"] }, undefined],
    [{ deniedUsers: ["test:user-1"] }, "You are not allowed"],
    [{ deniedChannels: ["thread-1"] }, "turned off in this channel"],
    [{ allowedChannels: ["elsewhere"] }, "not enabled in this channel"],
    [{ allowedUsers: ["someone"] }, "Only approved users and roles"],
    [{ allowedRoles: ["artists"] }, "Only approved users and roles"],
    [{ allowedUsers: ["user-1"], deniedRoles: ["muted"] }, undefined],
  ])("applies access rules %j", async (rules, refusal) => {
    const policy = new UsagePolicy({ access: { ...openAccess, ...rules } }, createMemoryJobStore());
    const admitted = policy.admit(candidate("ok"));
    if (refusal) await expect(admitted).rejects.toThrow(refusal);
    else await expect(admitted).resolves.toMatchObject({ state: "submitting" });
  });

  it("lets allowed roles in and denied roles out", async () => {
    const store = createMemoryJobStore();
    const allowed = new UsagePolicy(
      { access: { ...openAccess, allowedRoles: ["artists"] } },
      store,
    );
    await expect(
      allowed.admit(candidate("ok", { ...origin, roles: ["artists"] })),
    ).resolves.toMatchObject({ state: "submitting" });
    const denied = new UsagePolicy({ access: { ...openAccess, deniedRoles: ["muted"] } }, store);
    await expect(denied.admit(candidate("ok", { ...origin, roles: ["muted"] }))).rejects.toThrow(
      "One of your roles is not allowed",
    );
  });

  it("reserves daily seconds per user and per space, and gives failed jobs' seconds back", async () => {
    const store = createMemoryJobStore();
    const policy = new UsagePolicy(
      { dailySecondsPerUser: 12, dailySecondsPerSpace: 14 },
      store,
      () => noon,
    );
    await policy.admit(candidate("a", origin, 8, "a"));
    await expect(policy.admit(candidate("b", origin, 5, "b"))).rejects.toThrow(
      "This video needs 5 s, but your daily budget of 12 s has 4 s left (resets at 00:00 UTC, in 12 h 0 min).",
    );
    await store.transition("a", { from: ["submitting"], to: "failed" });
    await policy.admit(candidate("b", origin, 5, "b"));
    const friend = { ...origin, userId: "user-2" };
    await policy.admit(candidate("c", friend, 6, "c"));
    await expect(policy.admit(candidate("d", friend, 4, "d"))).rejects.toThrow(
      "this server's daily budget of 14 s has 3 s left",
    );
    expect(await policy.usage("test", "user-1", "space-1")).toMatchObject({
      user: { seconds: 5, jobs: 1, limit: 12 },
      space: { seconds: 11, jobs: 2, limit: 14 },
      resetsAt: Date.UTC(2026, 10, 23),
    });
  });

  it("lets only one of two racing requests take the last seconds", async () => {
    const store = createMemoryJobStore();
    const policy = new UsagePolicy({ dailySecondsPerUser: 10 }, store, () => noon);
    const attempt = (id: string) => policy.admit(candidate(id, origin, 10, id));
    const results = await Promise.allSettled([attempt("x"), attempt("y")]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
  });
});

describe("usage policy through the service", () => {
  let harness: Awaited<ReturnType<typeof createHarness>> | undefined;
  afterEach(async () => {
    await harness?.close();
  });

  it("refuses over-budget requests before anything reaches the provider, and counts auto as 15 s", async () => {
    harness = await createHarness({}, { dailySecondsPerUser: 20 });
    const { service } = await harness.boot();
    await service.submit({ mode: "text", prompt: "first", duration: 10 }, origin);
    await expect(service.submit({ mode: "text", prompt: "auto" }, origin)).rejects.toThrow(
      "needs 15 s (auto duration counts as 15 s; set --dur for less)",
    );
    expect(harness.fake.requests.filter((request) => request.method === "POST")).toHaveLength(1);
    expect((await service.usage("test", "user-1")).user).toMatchObject({ seconds: 10, limit: 20 });
  });
});
