import { afterEach, expect, it } from "vitest";
import { completedUploads } from "../adapters/slack/slack-views.ts";
import { startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { FakeSlack } from "../fakes/fake-slack.ts";
import { slashCommand } from "../fakes/fake-slack-payloads.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { waitUntil } from "../support/wait-until.ts";
import { type BotInstance, startBotInstance } from "./bot-instance.ts";

const databases = testDatabases();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const isCreate = (request: { method: string; pathname: string }) =>
  request.method === "POST" && request.pathname === "/api/ai/queue";
const followerLease = (leases: string[]) =>
  leases.some((name) => name.startsWith("provider-follower#"));

async function followerOf(instances: BotInstance[]): Promise<BotInstance> {
  let follower: BotInstance | undefined;
  await waitUntil(
    async () => {
      const holding = [];
      for (const instance of instances)
        if (followerLease(await instance.leases())) holding.push(instance);
      follower = holding.length === 1 ? holding[0] : undefined;
      return follower !== undefined;
    },
    { message: "exactly one instance to follow the provider" },
  );
  if (!follower) throw new Error("no follower");
  return follower;
}

it("three processes on one PostgreSQL: the follower is SIGKILLed, another takes over, every job is posted once and created once", async () => {
  const [url, hub, slack] = await Promise.all([
    databases.create(),
    startFakeOxenServer(),
    FakeSlack.start(),
  ]);
  cleanups.push(
    () => hub.close(),
    () => slack.close(),
  );
  // Short leases so the test does not wait for production's 10 s; it asserts outcomes, never durations.
  const environment = {
    DATABASE_URL: url,
    PROVIDER: "oxen",
    OXEN_API_KEY: hub.apiKey,
    OXEN_BASE_URL: hub.baseUrl,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: `${slack.url}/api`,
    PLAYGROUND: "false",
    MAX_JOBS_PER_USER: "0",
    LEASE_TTL_MS: "5000",
    LEASE_RENEW_MS: "1000",
    LEASE_RETRY_MS: "250",
    WORK_SCAN_INTERVAL_MS: "500",
    SWEEP_INTERVAL_MS: "1000",
  };
  const instances: BotInstance[] = [];
  for (const id of ["bot-1", "bot-2", "bot-3"]) {
    const instance = await startBotInstance(id, environment);
    cleanups.push(() => instance.dispose());
    instances.push(instance);
  }
  // Every log line names its instance.
  for (const instance of instances) {
    const lines = instance.process
      .stdout()
      .split("\n")
      .filter((line) => line.startsWith("{"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line).instance, line).toBe(instance.id);
  }
  const first = await followerOf(instances);
  await hub.waitForSseClients(1);

  // Round robin: each instance takes a third of the requests, and sends what it admitted.
  const users = ["U0ALICE", "U0BOB", "U0CAROL"].map((id) => ({
    id,
    name: id.slice(2).toLowerCase(),
  }));
  const jobs = 9;
  for (let index = 0; index < jobs; index++) {
    const instance = instances[index % instances.length] as BotInstance;
    slack.botUrl = `${instance.baseUrl}/slack/events`;
    const user = users[index % users.length] as (typeof users)[number];
    const answer = await slack.send(
      "command",
      slashCommand(slack, user, "/video", `take ${index}`),
    );
    expect(answer.status).toBe(200);
  }
  await waitUntil(() => hub.requests.filter(isCreate).length === jobs, { message: "every create" });
  const remote = [...hub.jobs.values()];

  // A third completes while the first follower hears them on its stream.
  for (const job of remote.slice(0, 3)) hub.complete(job.id);
  await waitUntil(() => completedUploads(slack).length === 3, { message: "the first videos" });

  await first.kill();
  // Completions while nobody follows: nobody hears these events; the new follower's first sweep finds them.
  for (const job of remote.slice(3)) hub.complete(job.id);
  const survivors = instances.filter((instance) => instance !== first);
  const second = await followerOf(survivors);
  expect(second).not.toBe(first);
  expect(await second.metrics()).toContain('seedance_leases_held{lease="provider_follower"} 1');

  await waitUntil(() => completedUploads(slack).length >= jobs, {
    message: "every video",
  });
  // Every job's video once, and no job sent twice.
  const comments = completedUploads(slack).map((upload) => upload.comment);
  for (let index = 0; index < jobs; index++) {
    expect(
      comments.filter((comment) => comment.includes(`take ${index}`)),
      `take ${index}`,
    ).toHaveLength(1);
  }
  expect(completedUploads(slack)).toHaveLength(jobs);
  expect(hub.requests.filter(isCreate)).toHaveLength(jobs);
  // The write after the last post may still be on its way: every job ends delivered, none otherwise.
  const states = () =>
    databases.administer(
      url,
      async (client) =>
        (await client.query("SELECT state, count(*)::int AS count FROM jobs GROUP BY state")).rows,
    );
  await waitUntil(
    async () =>
      JSON.stringify(await states()) === JSON.stringify([{ state: "delivered", count: jobs }]),
    {
      message: "every job recorded as delivered",
    },
  );
});
