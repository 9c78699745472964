import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localImage } from "../../../src/providers/simulator/start-image.ts";

const media = (name: string) => new URL(`../../fixtures/media/${name}`, import.meta.url);

describe("the picture a simulated clip zooms into", () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "simulator-picture-"));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("uses a picture the bot published itself, where it is", async () => {
    const path = fileURLToPath(media("tiny.png"));
    const resolve = (url: string) => (url === "https://bot.test/media/abc" ? path : undefined);
    expect(await localImage("https://bot.test/media/abc", scratch, "job", resolve)).toEqual({
      path,
      temporary: false,
    });
  });

  it("never reads an arbitrary file: URL", async () => {
    expect(await localImage(media("tiny.png").href, scratch, "job")).toBeUndefined();
  });

  it("decodes a base64 data: URL into a scratch file", async () => {
    const bytes = await readFile(media("tiny.jpg"));
    const image = await localImage(
      `data:image/jpeg;base64,${bytes.toString("base64")}`,
      scratch,
      "job",
    );
    expect(image).toEqual({ path: join(scratch, "job-picture.jpg"), temporary: true });
    expect(await readFile(image?.path ?? "")).toEqual(bytes);
  });

  it.each([
    ["a remote URL", "https://example.com/picture.png"],
    ["a file that is not an image", media("tiny.mp3").href],
    ["a missing file", media("missing.png").href],
    ["a data: URL that is not an image", "data:text/plain;base64,aGVsbG8="],
    ["nothing", undefined],
  ])("ignores %s", async (_name, url) => {
    expect(await localImage(url, scratch, "job")).toBeUndefined();
  });
});
