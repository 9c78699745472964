import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  downloadSlackFile,
  isSlackFileUrl,
  slackFileOrigins,
} from "../../../adapters/slack/private-files.ts";
import { UserFacingError } from "../../../src/errors.ts";
import { FakeSlack } from "../../fakes/fake-slack.ts";
import { pngFixture } from "./slack-harness.ts";

let fake: FakeSlack;
beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await fake.close();
});

const access = () => ({ botToken: fake.botToken, origins: slackFileOrigins(fake.apiUrl) });

describe("private Slack files", () => {
  it("the token goes only to Slack's file host (and the configured API's origin)", () => {
    expect(slackFileOrigins("https://slack.com/api/")).toEqual(["https://files.slack.com"]);
    expect(slackFileOrigins(fake.apiUrl)).toEqual(["https://files.slack.com", fake.url]);
    const files = { botToken: "x", origins: ["https://files.slack.com"] };
    expect(isSlackFileUrl("https://files.slack.com/files-pri/T1-F1/a.png", files)).toBe(true);
    expect(isSlackFileUrl("https://files.slack.com.evil.test/a.png", files)).toBe(false);
    expect(isSlackFileUrl("http://files.slack.com/a.png", files)).toBe(false);
  });

  it("downloads with the bot token and returns the bytes", async () => {
    const png = await readFile(pngFixture);
    const file = fake.file("a.png", png, "image/png");
    const bytes = await downloadSlackFile(file.url_private, access(), {
      maxBytes: 1024 ** 2,
      fileName: "a.png",
    });
    expect(bytes.equals(png)).toBe(true);
    expect(fake.calls.at(-1)?.authorization).toBe(`Bearer ${fake.botToken}`);
  });

  it("Slack's login page (token refused) is an error naming the missing scope, not an image", async () => {
    const file = fake.file("a.png", await readFile(pngFixture), "image/png");
    const wrong = { ...access(), botToken: "xoxb-wrong" };
    await expect(
      downloadSlackFile(file.url_private, wrong, { maxBytes: 1024 ** 2, fileName: "a.png" }),
    ).rejects.toThrow(/files:read/);
  });

  it("a file over the limit is refused from its Content-Length", async () => {
    const file = fake.file("big.png", Buffer.alloc(4096, 1), "image/png");
    const error = await downloadSlackFile(file.url_private, access(), {
      maxBytes: 1000,
      fileName: "big.png",
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toContain("big.png is larger than");
  });

  it("a URL outside Slack is never fetched with the token", async () => {
    await expect(
      downloadSlackFile("https://example.test/a.png", access(), {
        maxBytes: 1000,
        fileName: "a.png",
      }),
    ).rejects.toThrow(/not stored in Slack/);
    expect(fake.calls).toHaveLength(0);
  });
});
