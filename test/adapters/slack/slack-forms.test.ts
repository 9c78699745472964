import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  formValues,
  messageShortcut,
  slashCommand,
  stateValue,
  viewSubmission,
} from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { jpgFixture, pngFixture, type SlackBot, startSlackBot } from "./slack-harness.ts";
import { privateNotes, waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function openForm(current: SlackBot, command: string) {
  const { fake, alice } = current;
  const before = fake.views.length;
  await fake.send("command", slashCommand(fake, alice, command, ""));
  await waitUntil(() => fake.views.length > before, { message: `${command} form` });
  const view = fake.views.at(-1);
  if (!view) throw new Error("no view");
  return view;
}

describe("Slack forms: /animate, /reference and the message shortcut", () => {
  it("/animate with a private file: downloaded with the bot token, published, and the provider's URL serves the same bytes", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const view = await openForm(bot, "/animate");
    expect(view.blocks.find((block) => block.block_id === "image")).toMatchObject({
      optional: false,
      element: { type: "file_input", filetypes: ["jpg", "jpeg", "png", "webp"], max_files: 1 },
    });
    const png = await readFile(pngFixture);
    const image = fake.file("start.png", png, "image/png");
    const values = formValues({
      image: stateValue.files(image),
      prompt: stateValue.text("the lighthouse beam sweeps --ar 16:9"),
      duration: stateValue.select("6"),
      fast: stateValue.checked(),
    });
    const answer = await fake.send("interactive", viewSubmission(fake, alice, view, values));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("");

    await waitForUploads(fake, 1);
    const submitted = bot.provider.submits[0];
    expect(submitted).toMatchObject({
      model: { id: "bytedance-seedance-2-0-fast-image-to-video" },
      request: {
        mode: "image",
        prompt: "the lighthouse beam sweeps",
        aspectRatio: "16:9",
        duration: 6,
      },
    });
    const url = submitted?.request.startImage?.url ?? "";
    expect(url.startsWith(`${bot.baseUrl}/media/`)).toBe(true);
    // The signed link's expiry travels with the job, so a late Regenerate is refused clearly.
    const expiresAt = submitted?.request.startImage?.expiresAt ?? 0;
    expect(Number(new URL(url).searchParams.get("expires")) * 1000).toBe(expiresAt);
    const served = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(served.equals(png)).toBe(true);
    const tampered = url.replace(
      /signature=([0-9a-f])/,
      (_, first) => `signature=${first === "0" ? "1" : "0"}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    const downloads = fake.calls.filter((call) => call.kind === "download");
    expect(downloads.map((call) => call.authorization)).toEqual([`Bearer ${fake.botToken}`]);
  });

  it("a form mistake is shown under its field and nothing is submitted", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const view = await openForm(bot, "/animate");
    const image = fake.file("start.png", await readFile(pngFixture), "image/png");
    const values = formValues({
      image: stateValue.files(image),
      prompt: stateValue.text("waves --dur 40"),
    });
    const answer = await fake.send("interactive", viewSubmission(fake, alice, view, values));
    expect(JSON.parse(answer.body)).toEqual({
      response_action: "errors",
      errors: { prompt: expect.stringContaining("--dur 40 is not valid") },
    });
    expect(bot.provider.submits).toHaveLength(0);
    expect(fake.calls.filter((call) => call.kind === "download")).toHaveLength(0);
  });

  it("/reference: files become @Image1 and @Image2 in order", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const view = await openForm(bot, "/reference");
    const first = fake.file("a.png", await readFile(pngFixture), "image/png");
    const second = fake.file("b.jpg", await readFile(jpgFixture), "image/jpeg");
    const values = formValues({
      prompt: stateValue.text("@Image1 walks into @Image2"),
      image1: stateValue.files(first),
      image2: stateValue.files(second),
    });
    await fake.send("interactive", viewSubmission(fake, alice, view, values));
    await waitForUploads(fake, 1);
    const request = bot.provider.submits[0]?.request;
    expect(request?.mode).toBe("reference");
    expect(request?.referenceImages.map((image) => image.fileName)).toEqual(["a.png", "b.jpg"]);
    expect(request?.referenceImages.map((image) => image.contentType)).toEqual([
      "image/png",
      "image/jpeg",
    ]);
  });

  it("Animate with Seedance on a message: the form keeps its images and the answer goes to that message's thread", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const png = await readFile(pngFixture);
    const message = fake.userMessage(alice, "my drawings", {
      files: [fake.file("one.png", png, "image/png"), fake.file("two.png", png, "image/png")],
    });
    await fake.send("interactive", messageShortcut(fake, alice, "animate_message", message));
    await waitUntil(() => fake.views.length === 1, { message: "the animate form" });
    const view = fake.views[0];
    if (!view) throw new Error("no view");
    expect(JSON.stringify(view.blocks)).toContain("Start frame: one.png · End frame: two.png");

    const values = formValues({ prompt: stateValue.text("they dance --dur 5") });
    await fake.send("interactive", viewSubmission(fake, alice, view, values));
    const [upload] = await waitForUploads(fake, 1);
    expect(upload?.threadTs).toBe(message.ts);
    const request = bot.provider.submits[0]?.request;
    expect(request).toMatchObject({ mode: "image", prompt: "they dance", duration: 5 });
    expect(request?.startImage?.fileName).toBe("one.png");
    expect(request?.endImage?.fileName).toBe("two.png");
  });

  it("the shortcut on a message without images answers privately", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const message = fake.userMessage(alice, "just words");
    await fake.send("interactive", messageShortcut(fake, alice, "animate_message", message));
    await waitUntil(() => privateNotes(fake).length === 1, { message: "the private answer" });
    expect(privateNotes(fake)[0]).toContain("no image to animate");
    expect(fake.views).toHaveLength(0);
  });

  it("without a media host, a private file gets a clear message naming what to set", async () => {
    bot = await startSlackBot({ mediaHost: false });
    const { fake, alice } = bot;
    const view = await openForm(bot, "/animate");
    const image = fake.file("start.png", await readFile(pngFixture), "image/png");
    const values = formValues({ image: stateValue.files(image), prompt: stateValue.text("rain") });
    await fake.send("interactive", viewSubmission(fake, alice, view, values));
    await waitUntil(() => privateNotes(fake).length === 1, { message: "the private answer" });
    expect(privateNotes(fake)[0]).toContain("PUBLIC_BASE_URL");
    expect(privateNotes(fake)[0]).toContain("OXEN_MEDIA_REPO");
    expect(bot.provider.submits).toHaveLength(0);
    expect(await bot.store.listByUser("slack", alice.id, 10)).toEqual([]);
  });
});
