import { afterEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../fakes/fake-slack.ts";
import { type FakeUser, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import {
  type MetricsEndpoint,
  startMetricsEndpoint,
} from "../../observability/metrics-endpoint.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, type SlackBotOptions, startSlackBot } from "./slack-harness.ts";
import { startWorkspaceAdmins, type WorkspaceAdmins } from "./workspace-admins.ts";

let bot: SlackBot | undefined;
let admins: WorkspaceAdmins | undefined;
let endpoint: MetricsEndpoint | undefined;
afterEach(async () => {
  await bot?.stop();
  await admins?.close();
  await endpoint?.close();
  bot = undefined;
  admins = undefined;
  endpoint = undefined;
});

const budget = { dailySecondsPerUser: 60, dailySecondsPerSpace: 100 };
const resets = /\nResets: 00:00 UTC, in (\d+ h )?\d+ min$/;
const aliceId = "U0ALICE";

/** A bot whose Web API calls pass a front that makes alice a workspace admin. */
async function startWithAdmins(options: SlackBotOptions = {}): Promise<SlackBot> {
  const fake = await FakeSlack.start();
  admins = await startWorkspaceAdmins(fake, new Set([aliceId]));
  return await startSlackBot({ ...options, fake, apiUrl: admins.apiUrl });
}

async function delivered(active: SlackBot, user: FakeUser): Promise<number> {
  const jobs = await active.store.listByUser("slack", user.id, 100);
  return jobs.filter((job) => job.state === "delivered").length;
}

async function video(active: SlackBot, user: FakeUser, text: string): Promise<void> {
  const before = await delivered(active, user);
  await active.fake.send("command", slashCommand(active.fake, user, "/video", text));
  await waitUntil(async () => (await delivered(active, user)) > before, {
    message: `${user.name}'s video "${text}" delivered`,
  });
}

/** Sends /usage and returns the answer posted to its response_url. */
async function usage(fake: FakeSlack, user: FakeUser, text = ""): Promise<Record<string, unknown>> {
  const payload = slashCommand(fake, user, "/usage", text);
  const answer = await fake.send("command", payload);
  expect(answer.status).toBe(200);
  const path = new URL(payload.response_url).pathname;
  let fields: Record<string, unknown> | undefined;
  await waitUntil(
    () => {
      fields = fake.calls.find((call) => call.kind === "respond" && call.method === path)?.fields;
      return fields !== undefined;
    },
    { message: "the /usage answer" },
  );
  return fields ?? {};
}

describe("Slack /usage (real Bolt app, real service, simulator, budgets)", () => {
  it("shows your seconds against the daily budget, videos, spend and reset, ephemerally", async () => {
    bot = await startSlackBot({ policy: budget });
    const { fake, alice, bob } = bot;
    await video(bot, alice, "a fox --dur 5");
    await video(bot, bob, "an owl --dur 6");
    const posted = fake.callsTo("chat.postMessage").length;

    const mine = await usage(fake, alice);
    expect(mine.response_type).toBe("ephemeral");
    expect(String(mine.text)).toMatch(resets);
    expect(String(mine.text).replace(resets, "")).toBe(
      [
        "*📊 Your usage today*",
        "Seconds of video: 5 s of 60 s (8%), 55 s left",
        "Videos: 1",
        "Spent: free",
      ].join("\n"),
    );
    // Typed `/usage` never opens a form, and nothing is posted in the channel.
    expect(fake.callsTo("views.open")).toEqual([]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(posted);
  });

  it("`/usage server`: the workspace's usage for admins (users.info), a clear refusal for others", async () => {
    bot = await startWithAdmins({ policy: budget });
    const { fake, alice, bob } = bot;
    await video(bot, alice, "a fox --dur 5");
    await video(bot, bob, "an owl --dur 6");

    const refused = await usage(fake, bob, "server");
    expect(refused).toMatchObject({
      response_type: "ephemeral",
      text: "Only workspace admins and owners can see the whole workspace's usage; /usage shows your own.",
    });

    const workspace = await usage(fake, alice, "server");
    expect(workspace.response_type).toBe("ephemeral");
    expect(String(workspace.text).replace(resets, "")).toBe(
      [
        "*📊 This workspace's usage today*",
        "Seconds of video: 11 s of 100 s (11%), 89 s left",
        "Videos: 2",
        "Spent: free",
      ].join("\n"),
    );
    expect(fake.callsTo("users.info").map((call) => call.fields.user)).toEqual(
      expect.arrayContaining([bob.id, alice.id]),
    );
  });

  it("`/usage everyone` is refused at once, naming the option, the value and the choices", async () => {
    bot = await startSlackBot();
    const answer = await bot.fake.send(
      "command",
      slashCommand(bot.fake, bot.alice, "/usage", "everyone"),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^Invalid option scope "everyone": .*"me".*"server"/);
  });
});

describe("Slack chat metrics at /metrics", () => {
  it("counts acknowledgements, Web API refusals by code, and failed uploads by cause", async () => {
    endpoint = await startMetricsEndpoint();
    const metrics = endpoint;
    bot = await startSlackBot({ metrics: (service, store) => metrics.wire(service, store) });
    const { fake, alice } = bot;

    await usage(fake, alice);
    expect(await endpoint.scrape()).toContain(
      'seedance_acknowledgement_seconds_count{platform="slack"} 1',
    );

    fake.failNext("files.completeUploadExternal", "internal_error");
    await video(bot, alice, "a calm lake");
    const text = await endpoint.scrape();
    expect(text).toContain(
      'seedance_chat_api_errors_total{platform="slack",code="internal_error"} 1',
    );
    expect(text).toContain(
      'seedance_delivery_failures_total{platform="slack",cause="upload_error"} 1',
    );
    expect(text).toContain('seedance_acknowledgement_seconds_count{platform="slack"} 2');

    // Uploads switched off in the workspace: the video goes out as a link, counted by that cause.
    fake.failNext("files.completeUploadExternal", "file_uploads_disabled");
    await video(bot, alice, "a quiet harbour");
    expect(await endpoint.scrape()).toContain(
      'seedance_delivery_failures_total{platform="slack",cause="uploads_disabled"} 1',
    );
  });
});
