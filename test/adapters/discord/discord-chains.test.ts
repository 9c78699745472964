import { afterEach, describe, expect, it } from "vitest";
import { slashCommand, userMessage } from "../../fakes/fake-discord-payloads.ts";
import {
  type Bot,
  callbackOf,
  ephemeralTexts,
  startBot,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function start(options: Parameters<typeof startBot>[0] = {}): Promise<Bot> {
  const bot = await startBot(options);
  bots.push(bot);
  return bot;
}

const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

describe("Discord: Loop", () => {
  it("/animate loop:true and a mention with --loop send the start image as the end frame too", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const image = fake.attachment("start.png", png, "image/png");
    slashCommand(fake, "animate", { image, prompt: "waves roll in", loop: true }, { user: alice });
    await waitForUploads(fake, 1);
    const [fromCommand] = bot.provider.submits;
    expect(fromCommand?.request.startImage?.url).toBe(image.url);
    expect(fromCommand?.request.endImage).toEqual(fromCommand?.request.startImage);

    const attached = fake.attachment("boat.png", png, "image/png");
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a boat bobs --loop`,
      mentionsBot: true,
      attachments: [attached],
    });
    await waitForUploads(fake, 2);
    const fromMessage = bot.provider.submits[1]?.request;
    expect(fromMessage?.prompt).toBe("a boat bobs");
    expect(fromMessage?.startImage?.url).toBe(attached.url);
    expect(fromMessage?.endImage?.url).toBe(attached.url);
    const job = await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "done");
    expect(job.request.endImage?.url).toBe(job.request.startImage?.url);
  });

  it("refuses --loop without a start image, and with an end image, before anything is sent", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const first = slashCommand(fake, "video", { prompt: "a spinning top --loop" }, { user: alice });
    await callbackOf(fake, first.id);
    const image = fake.attachment("start.png", png, "image/png");
    const end = fake.attachment("end.png", png, "image/png");
    const second = slashCommand(
      fake,
      "animate",
      { image, end_image: end, prompt: "go", loop: true },
      { user: alice },
    );
    await callbackOf(fake, second.id);
    expect(ephemeralTexts(fake.calls)).toEqual([
      expect.stringMatching(/--loop needs a start image/),
      expect.stringMatching(
        /--loop uses the start image as the end frame.*leave out the end image/,
      ),
    ]);
    expect(bot.provider.submits).toEqual([]);
  });
});
