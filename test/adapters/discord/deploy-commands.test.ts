import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deployCommands } from "../../../adapters/discord/deploy-commands.ts";
import { renderCommands } from "../../../adapters/discord/render-commands.ts";
import { commands, messageActions } from "../../../commands/index.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { FakeDiscord } from "../../fakes/fake-discord.ts";

let fake: FakeDiscord;
let directory: string;
beforeEach(async () => {
  fake = await FakeDiscord.start();
  directory = await mkdtemp(join(tmpdir(), "deploy-"));
});
afterEach(async () => {
  await fake.close();
  await rm(directory, { recursive: true, force: true });
});

function options(extra: { guildId?: string; force?: boolean } = {}) {
  return {
    token: "test-token",
    apiUrl: fake.apiUrl,
    stateFile: join(directory, "discord-commands.sha256"),
    logger: createSilentLogger(),
    ...extra,
  };
}

describe("deployCommands", () => {
  it("registers globally once, then skips while nothing changed", async () => {
    expect(await deployCommands(options())).toMatchObject({
      status: "deployed",
      scope: "global",
      count: 8,
    });
    expect(await deployCommands(options())).toMatchObject({ status: "unchanged" });
    const puts = fake.callsTo("PUT", /commands$/);
    expect(puts.map((call) => call.path)).toEqual([`/applications/${fake.applicationId}/commands`]);
    expect(puts[0]?.json).toEqual(renderCommands(commands, messageActions));
    expect(puts[0]?.authorization).toBe("Bot test-token");
    expect((await readFile(join(directory, "discord-commands.sha256"), "utf8")).trim()).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it("registers to DISCORD_GUILD_ID when set (a new scope counts as a change), and again when forced", async () => {
    await deployCommands(options());
    expect(await deployCommands(options({ guildId: fake.guildId }))).toMatchObject({
      status: "deployed",
      scope: `guild ${fake.guildId}`,
    });
    expect(await deployCommands(options({ guildId: fake.guildId, force: true }))).toMatchObject({
      status: "deployed",
    });
    expect(fake.callsTo("PUT", /commands$/).map((call) => call.path)).toEqual([
      `/applications/${fake.applicationId}/commands`,
      `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
      `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    ]);
  });
});
