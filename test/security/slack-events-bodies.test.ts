import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerLiveness } from "../../src/server/http-server.ts";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { eventEnvelope, mentionEvent } from "../fakes/fake-slack-payloads.ts";
import { expectNothingMade } from "../inputs/support/slack-answers.ts";
import { waitUntil } from "../support/wait-until.ts";
import { healthStatus, RawRequest } from "./support/raw-http.ts";

let bot: SlackBot;
let port: number;
const limits = { signedBytes: 64 * 1024, unsignedBytes: 4096, heldBytes: 256 * 1024 };
beforeAll(async () => {
  bot = await startSlackBot({ processBeforeResponse: true, bodyLimits: limits });
  port = Number(new URL(bot.baseUrl).port);
  // As src/main.ts does: the same server answers health checks.
  registerLiveness(bot.server);
});
afterAll(async () => {
  await bot.stop();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const sign = (body: string, timestamp: number) =>
  `v0=${createHmac("sha256", bot.fake.signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
/** Headers that look signed (a well-formed signature, a current timestamp) but are not. */
const plausible = () => ({
  "x-slack-signature": `v0=${"ab".repeat(32)}`,
  "x-slack-request-timestamp": nowSeconds(),
});

function start(headers: Record<string, string | number>) {
  return RawRequest.start(port, {
    path: "/slack/events",
    headers: { "content-type": "application/json", ...headers },
  });
}

describe("hostile bodies at /slack/events are refused before they are held", () => {
  it("an unsigned body declaring 4 MB: 413 from its headers alone, no byte of it read", async () => {
    const raw = await start({ "content-length": 4 * 1024 ** 2 });
    expect((await raw.answer()).status).toBe(413);
    raw.close();
  });

  it("an unsigned chunked body: cut off at SLACK_UNSIGNED_MAX_BYTES", async () => {
    const raw = await start({ "transfer-encoding": "chunked" });
    const chunk = "x".repeat(1024);
    for (let index = 0; index < 5; index++) await raw.write(`400\r\n${chunk}\r\n`);
    expect((await raw.answer()).status).toBe(413);
    raw.close();
  });

  it("a plausibly signed body over SLACK_EVENT_MAX_BYTES: 413, before the signature is checked", async () => {
    const raw = await start({ ...plausible(), "content-length": limits.signedBytes + 1 });
    expect((await raw.answer()).status).toBe(413);
    raw.close();
  });

  it("60 slow senders of oversized unsigned bodies at once: each refused, /healthz answers meanwhile", async () => {
    const senders = await Promise.all(
      Array.from({ length: 60 }, () => start({ "transfer-encoding": "chunked" })),
    );
    // Each sends a little and then nothing more: a request the bot must not wait on or keep.
    await Promise.all(senders.map((sender) => sender.write(`800\r\n${"y".repeat(2048)}\r\n`)));
    expect(await healthStatus(bot.baseUrl)).toBe(200);
    await Promise.all(senders.map((sender) => sender.write(`c00\r\n${"y".repeat(3072)}\r\n`)));
    const answers = await Promise.all(senders.map((sender) => sender.answer()));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 413));
    for (const sender of senders) sender.close();
    expect(await healthStatus(bot.baseUrl)).toBe(200);
    await expectNothingMade(bot);
  });
});

describe("bodies held at once stay within SLACK_EVENT_BUFFER_BYTES", () => {
  it("forged-but-plausible senders holding the budget: the next one gets 503, Slack's own gets in after", async () => {
    // Four declare 64 KiB each and send only part of it: the 256 KiB budget is taken.
    const holders = await Promise.all(
      Array.from({ length: 4 }, () =>
        start({ ...plausible(), "content-length": limits.signedBytes }),
      ),
    );
    await Promise.all(holders.map((holder) => holder.write("x".repeat(1024))));
    const verification = JSON.stringify({ type: "url_verification", challenge: "c-1", token: "t" });
    await waitUntil(
      async () => (await bot.fake.signedPost(verification, "application/json")).status === 503,
      {
        message: "the budget taken",
      },
    );
    const next = await start({ ...plausible(), "content-length": 1000 });
    expect(await next.answer()).toMatchObject({ status: 503 });
    expect((await next.answer()).text).toMatch(/retry-after: 1/i);
    next.close();
    expect(await healthStatus(bot.baseUrl)).toBe(200);
    for (const holder of holders) holder.close();
    // Their reservations are given back once they are gone.
    await waitUntil(
      async () => (await bot.fake.signedPost(verification, "application/json")).status === 200,
      {
        message: "the budget given back",
      },
    );
    await expectNothingMade(bot);
  });
});

describe("Slack timestamps: within five minutes either way", () => {
  const mention = () => {
    const message = bot.fake.userMessage(bot.alice, `<@${bot.fake.botUserId}> a kite`);
    return JSON.stringify(eventEnvelope(bot.fake, mentionEvent(bot.fake, message)));
  };

  it.each([
    ["ten years ahead", 10 * 365 * 24 * 3600],
    ["six minutes ahead", 6 * 60],
    ["six minutes old", -6 * 60],
  ])("correctly signed, %s: 401 from the headers, the body unread", async (_name, offset) => {
    const timestamp = nowSeconds() + offset;
    const body = mention();
    const raw = await start({
      "x-slack-signature": sign(body, timestamp),
      "x-slack-request-timestamp": timestamp,
      "content-length": Buffer.byteLength(body),
    });
    // Nothing of the body was sent: the answer came from the headers.
    expect((await raw.answer()).status).toBe(401);
    raw.close();
    await expectNothingMade(bot);
  });

  it.each([
    ["not hex", { "x-slack-signature": "v0=not-a-signature" }],
    ["no timestamp", { "x-slack-signature": `v0=${"ab".repeat(32)}` }],
    ["a timestamp that is not a number", { ...plausible(), "x-slack-request-timestamp": "soon" }],
  ])("signature headers that cannot be right (%s): 401", async (_name, headers) => {
    const raw = await start({ ...headers, "content-length": 10 });
    expect((await raw.answer()).status).toBe(401);
    raw.close();
  });

  it("four minutes ahead is within the tolerance (a clock a little fast): accepted", async () => {
    const answer = await bot.fake.signedPost(mention(), "application/json", {
      timestamp: nowSeconds() + 4 * 60,
    });
    expect(answer.status).toBe(200);
    expect(await bot.store.listByUser("slack", bot.alice.id, 10)).toHaveLength(1);
  });
});

describe("signed but malformed bodies: 400, no stack trace, nothing made", () => {
  it.each([
    ["null", "null", "application/json"],
    ["a list", "[]", "application/json"],
    ["a bare string", '"event"', "application/json"],
    ["a number", "5", "application/json"],
    ["broken JSON", '{"type":', "application/json"],
    ["a form whose payload is null", "payload=null", "application/x-www-form-urlencoded"],
    ["a form whose payload is not JSON", "payload=%7B", "application/x-www-form-urlencoded"],
  ])("%s", async (_name, body, contentType) => {
    const before = (await bot.store.listByUser("slack", bot.bob.id, 10)).length;
    const answer = await bot.fake.signedPost(body, contentType);
    expect(answer).toMatchObject({ status: 400, body: "" });
    expect(await bot.store.listByUser("slack", bot.bob.id, 10)).toHaveLength(before);
    expect(await healthStatus(bot.baseUrl)).toBe(200);
  });
});
