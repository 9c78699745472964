import { afterEach, describe, expect, it } from "vitest";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { type Bot, jsonOf, startBot, waitForJob } from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Discord /jobs: a gallery of the user's recent results", () => {
  it("lists the jobs with each finished result's poster as an attached embed thumbnail", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a lighthouse at night" }, { user: alice });
    const job = await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "done");

    const list = slashCommand(fake, "jobs", {}, { user: alice });
    const listed = await fake.waitForCall(
      (call) => call.method === "PATCH" && call.path.includes(`token-${list.id}`),
    );
    const body = jsonOf(listed);
    expect(String(body.content)).toContain(`\`${job.id}\``);
    const name = `poster-${job.id}.jpg`;
    expect(listed.files.map((file) => file.name)).toEqual([name]);
    expect(listed.files[0]?.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(body.embeds).toEqual([
      expect.objectContaining({
        description: expect.stringContaining("a lighthouse at night"),
        thumbnail: { url: `attachment://${name}` },
      }),
    ]);
  });
});
