import { readFile } from "node:fs/promises";
import { afterEach, expect, it } from "vitest";
import type { CardEntry } from "../../adapters/playground/index.ts";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import { startFakeS3Server } from "../fakes/fake-s3-server.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { waitUntil } from "../support/wait-until.ts";
import { type BotInstance, startBotInstance } from "./bot-instance.ts";

const databases = testDatabases();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const png = new URL("../fixtures/media/tiny.png", import.meta.url);

/** Keys the fake bucket holds under `prefix`. */
function keysUnder(objects: Map<string, unknown>, prefix: string): string[] {
  return [...objects.keys()].filter((key) => key.startsWith(prefix));
}

it("S3_* and DATABASE_URL on a real process: uploads and delivered videos go to the bucket, signed, and the playground serves them", async () => {
  const [url, bucket] = await Promise.all([databases.create(), startFakeS3Server()]);
  cleanups.push(() => bucket.close());
  const bot: BotInstance = await startBotInstance("s3-bot", {
    DATABASE_URL: url,
    PLAYGROUND: "true",
    SIMULATOR_DELAY_MS: "200",
    S3_BUCKET: bucket.bucket,
    S3_ENDPOINT: bucket.endpoint,
    S3_REGION: bucket.credentials.region,
    S3_ACCESS_KEY_ID: bucket.credentials.accessKeyId,
    S3_SECRET_ACCESS_KEY: bucket.credentials.secretAccessKey,
  });
  cleanups.push(() => bot.dispose());
  const client = new PlaygroundClient(bot.baseUrl);

  const uploaded = await client.upload(await readFile(png), "lantern.png");
  expect(uploaded.status).toBe(201);
  expect(keysUnder(bucket.objects, "seedance-bot/media/")).toHaveLength(1);

  const threadId = clientId();
  const sent = await client.sendMessage(threadId, "/video a paper lantern rising --dur 4");
  expect(sent.status).toBeLessThan(300);
  const shown = await client.events();
  cleanups.push(() => shown.close());
  const withVideo = () => shown.cards(threadId).find((card) => card.videoUrl !== undefined);
  await waitUntil(() => withVideo() !== undefined, {
    message: "the video in the playground thread",
  });
  const delivered = withVideo() as CardEntry;
  // The video being delivered went through the bucket, not the process's disk or PostgreSQL.
  expect(keysUnder(bucket.objects, "seedance-bot/videos/").length).toBeGreaterThan(0);
  const video = await client.bytes(delivered.videoUrl ?? "");
  expect(video.status).toBe(200);
  expect(video.bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
  // Every request the bot made to the bucket was signed with the configured key.
  expect(bucket.requests.length).toBeGreaterThan(0);
  expect(bucket.requests.filter((request) => request.refused !== undefined)).toEqual([]);
});
