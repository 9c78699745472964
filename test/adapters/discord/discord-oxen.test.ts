import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  jsonOf,
  sampleVideo,
  startBot,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
let hub: FakeOxenServer | undefined;
afterEach(async () => {
  await bot?.stop();
  await hub?.close();
  bot = undefined;
  hub = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

describe("Discord → Oxen on the wire (fake Discord, fake Oxen hub, real clients)", () => {
  it("/animate sends the image model, CDN URLs and parameters to Oxen; the finished MP4 comes back to the thread", async () => {
    hub = await startFakeOxenServer();
    const provider = createOxenProvider({
      apiKey: hub.apiKey,
      baseUrl: hub.baseUrl,
      logger: createSilentLogger(),
    });
    bot = await startBot({ provider });
    const { fake, alice } = bot;
    const image = fake.attachment("start.png", png, "image/png");
    const end = fake.attachment("end.png", png, "image/png");
    const { id } = slashCommand(
      fake,
      "animate",
      {
        image,
        end_image: end,
        prompt: "the kite lifts off --ar 16:9 --seed 3",
        has_face: true,
        resolution: "1080p",
        duration: 6,
      },
      { user: alice, inThread: true },
    );
    expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });

    const isCreate = (request: { method: string; pathname: string }) =>
      request.method === "POST" && request.pathname === "/api/ai/queue";
    await hub.waitForRequests(isCreate);
    const create = hub.requests.find(isCreate);
    expect(create?.body).toEqual({
      model: "bytedance-seedance-2-0-image-to-video",
      num_generations: 1,
      prompt: "the kite lifts off",
      resolution: "1080p",
      duration: 6,
      aspect_ratio: "16:9",
      // No published Seedance 2.0 schema declares `seed`: it is not sent, and the card says so.
      input_image: image.url,
      input_image_has_face: true,
      tail_image_url: end.url,
      tail_image_url_has_face: true,
    });
    const job = await waitForJob(bot.store, (found) => found.statusMessageId !== undefined, "card");
    const settings = () =>
      fake.messages
        .get(job.statusMessageId ?? "")
        ?.embeds?.[0]?.fields?.find((field) => field.name === "Settings")?.value;
    await waitUntil(() => settings() !== undefined, { message: "the card's settings" });
    expect(settings()).toBe(
      "1080p · 6 s · 16:9 · audio: model default · seed 3 (not used: this model takes no seed)",
    );
    const [oxenJob] = [...hub.jobs.values()];
    if (!oxenJob) throw new Error("no job at the hub");
    await hub.waitForSseClients(1);
    hub.complete(oxenJob.id);

    const [upload] = await waitForUploads(fake, 1);
    expect(upload?.path).toBe(`/channels/${fake.threadId}/messages`);
    expect(upload?.files[0]?.bytes.equals(await readFile(sampleVideo))).toBe(true);
    expect(String(jsonOf(upload ?? ({} as never)).content)).toContain(`<@${alice.id}>`);
  });

  it("/reference sends videos in input_videos, and in input_face_videos with has_face", async () => {
    hub = await startFakeOxenServer();
    const provider = createOxenProvider({
      apiKey: hub.apiKey,
      baseUrl: hub.baseUrl,
      logger: createSilentLogger(),
    });
    bot = await startBot({ provider });
    const { fake, alice } = bot;
    const mp4 = await readFile(sampleVideo);
    const pace = fake.attachment("pace.mp4", mp4, "video/mp4");
    const anna = fake.attachment("anna.mp4", mp4, "video/mp4");
    const { id } = slashCommand(
      fake,
      "reference",
      { prompt: "@Video2 dances to the pace of @Video1", video1: pace, video2: anna },
      { user: alice, inThread: true },
    );
    expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });
    const isCreate = (request: { method: string; pathname: string }) =>
      request.method === "POST" && request.pathname === "/api/ai/queue";
    await hub.waitForRequests(isCreate);
    expect(hub.requests.find(isCreate)?.body).toEqual({
      model: "bytedance-seedance-2-0-reference-to-video",
      num_generations: 1,
      prompt: "@Video2 dances to the pace of @Video1",
      input_videos: [pace.url, anna.url],
    });

    const faced = slashCommand(
      fake,
      "reference",
      {
        prompt: "@Video2 dances to the pace of @Video1",
        video1: pace,
        video2: anna,
        has_face: true,
      },
      { user: alice, inThread: true },
    );
    expect(jsonOf(await callbackOf(fake, faced.id))).toMatchObject({ type: 5 });
    await hub.waitForRequests(isCreate, 2);
    expect(hub.requests.filter(isCreate)[1]?.body).toEqual({
      model: "bytedance-seedance-2-0-reference-to-video",
      num_generations: 1,
      prompt: "@Video2 dances to the pace of @Video1",
      input_face_videos: [pace.url, anna.url],
    });
  });
});
