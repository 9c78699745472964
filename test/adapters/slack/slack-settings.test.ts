import { afterEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../fakes/fake-slack.ts";
import {
  type FakeUser,
  formValues,
  slashCommand,
  stateValue,
  viewSubmission,
} from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { privateNotes } from "./slack-views.ts";
import { startWorkspaceAdmins, type WorkspaceAdmins } from "./workspace-admins.ts";

let bot: SlackBot | undefined;
let admins: WorkspaceAdmins | undefined;
afterEach(async () => {
  await bot?.stop();
  await admins?.close();
  bot = undefined;
  admins = undefined;
});

/** A bot whose Web API calls pass a front that makes alice a workspace admin (`users.info`). */
async function startWithAdmin(): Promise<SlackBot> {
  const fake = await FakeSlack.start();
  admins = await startWorkspaceAdmins(fake, new Set(["U0ALICE"]));
  return await startSlackBot({ fake, apiUrl: admins.apiUrl });
}

/** The next private note after running `act`. */
async function nextNote(fake: FakeSlack, act: () => Promise<unknown>): Promise<string> {
  const before = privateNotes(fake).length;
  await act();
  await waitUntil(() => privateNotes(fake).length > before, { message: "a private note" });
  return privateNotes(fake)[before] ?? "";
}

async function openSettings(active: SlackBot, user: FakeUser) {
  const { fake } = active;
  const before = fake.views.length;
  await fake.send("command", slashCommand(fake, user, "/settings", "edit"));
  await waitUntil(() => fake.views.length > before, { message: "the /settings form" });
  const view = fake.views.at(-1);
  if (!view) throw new Error("no view");
  return view;
}

async function saveForm(
  active: SlackBot,
  user: FakeUser,
  values: Record<string, Record<string, unknown>>,
): Promise<string> {
  const view = await openSettings(active, user);
  return await nextNote(active.fake, () =>
    active.fake.send("interactive", viewSubmission(active.fake, user, view, formValues(values))),
  );
}

function video(active: SlackBot, user: FakeUser, text: string): Promise<string> {
  return nextNote(active.fake, () =>
    active.fake.send("command", slashCommand(active.fake, user, "/video", text)),
  );
}

async function delivered(active: SlackBot): Promise<number> {
  const space = { platform: "slack", spaceId: active.fake.teamId };
  const jobs = await active.store.listCreatedSince(space, 0);
  return jobs.filter((job) => job.state === "delivered").length;
}

describe("Slack /settings (real Bolt app, real service, simulator)", () => {
  it("an admin saves a cap in the modal; a /video over it is refused; the form reopens prefilled", async () => {
    bot = await startWithAdmin();
    const { fake, alice, bob } = bot;
    const form = await openSettings(bot, alice);
    expect(form).toMatchObject({ title: { text: "Settings" }, submit: { text: "Save" } });
    expect(form.blocks.find((block) => block.block_id === "channels")).toMatchObject({
      element: { type: "multi_channels_select" },
    });

    const saved = await saveForm(bot, alice, {
      max_duration: stateValue.number(6),
      max_resolution: stateValue.select("720p"),
      default_audio: stateValue.select("off"),
    });
    expect(saved).toContain("Default audio: off");
    expect(saved).toMatch(/^Saved\.\n\*⚙️ This workspace's video settings\*\n/);
    expect(saved).toContain("Max resolution: 720p, at most 4k");

    expect(await video(bot, bob, "a fox --dur 10")).toBe(
      "duration 10 s is above this server's cap of 6 s; choose 4–6 s.",
    );
    expect(await video(bot, bob, "a fox --dur 5 --res 1080p")).toBe(
      "resolution 1080p is above this server's cap of 720p; choose 480p, 720p.",
    );
    expect(bot.provider.submits).toHaveLength(0);

    const again = await openSettings(bot, alice);
    expect(again.blocks.find((block) => block.block_id === "max_duration")).toMatchObject({
      element: { type: "number_input", initial_value: "6" },
    });
    expect(again.blocks.find((block) => block.block_id === "default_audio")).toMatchObject({
      element: { type: "static_select", initial_option: { value: "off" } },
    });

    // `/settings` alone shows the values and who changed them, without a form.
    const views = fake.views.length;
    const shown = await nextNote(fake, () =>
      fake.send("command", slashCommand(fake, bob, "/settings", "")),
    );
    expect(fake.views).toHaveLength(views);
    expect(shown).toContain("Max duration: 6 s, at most 15 s");
    expect(shown).toMatch(
      /<@U0ALICE>: default_audio — → off; max_duration — → 6; max_resolution — → 720p/,
    );
  });

  it("a member who is not a workspace admin or owner cannot save the form", async () => {
    bot = await startWithAdmin();
    const { fake, bob } = bot;
    expect(await saveForm(bot, bob, { max_duration: stateValue.number(5) })).toBe(
      "Only workspace admins and owners can change this workspace's settings; /settings shows them.",
    );
    expect(fake.callsTo("users.info").map((call) => call.fields.user)).toContain(bob.id);
    const space = { platform: "slack", spaceId: fake.teamId };
    expect((await bot.service.spaceSettings(space)).version).toBe(0);
  });

  it("the workspace's daily budget holds across members; emptying a field returns it to the bot's", async () => {
    bot = await startWithAdmin();
    const { alice, bob } = bot;
    await saveForm(bot, alice, { server_daily_seconds: stateValue.number(10) });
    await bot.fake.send("command", slashCommand(bot.fake, alice, "/video", "a fox --dur 6"));
    await waitUntil(async () => (await delivered(bot as SlackBot)) === 1, {
      message: "alice's video delivered",
    });
    expect(await video(bot, bob, "an owl --dur 6")).toMatch(
      /^This video needs 6 s, but this server's daily budget of 10 s has 4 s left/,
    );

    // The form is the whole set: saved without the budget, the bot's own (none) applies again.
    expect(await saveForm(bot, alice, {})).toContain("Daily seconds for the workspace: no limit");
    await bot.fake.send("command", slashCommand(bot.fake, bob, "/video", "an owl --dur 6"));
    await waitUntil(async () => (await delivered(bot as SlackBot)) === 2, {
      message: "bob's video delivered",
    });
  });

  it("only the channels picked in the form take requests; elsewhere the refusal links them", async () => {
    bot = await startWithAdmin();
    const { alice, bob, fake } = bot;
    const picked = { type: "multi_channels_select", selected_channels: ["C0OTHER", "C0MORE"] };
    expect(await saveForm(bot, alice, { channels: picked })).toContain(
      "Channels: <#C0OTHER>, <#C0MORE>",
    );
    expect(await video(bot, bob, "a heron")).toBe(
      "Videos can be made only in <#C0OTHER>, <#C0MORE> on this server; this channel is not one of them.",
    );
    const reopened = await openSettings(bot, alice);
    expect(reopened.blocks.find((block) => block.block_id === "channels")).toMatchObject({
      element: { initial_channels: ["C0OTHER", "C0MORE"] },
    });
    await saveForm(bot, alice, {
      channels: { ...picked, selected_channels: [...picked.selected_channels, fake.channelId] },
    });
    await fake.send("command", slashCommand(fake, bob, "/video", "a heron"));
    await waitUntil(async () => (await delivered(bot as SlackBot)) === 1, {
      message: "the heron delivered",
    });
  });
});
