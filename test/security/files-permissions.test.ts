import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createFileBlobStore } from "../../src/blobs/file-blob-store.ts";
import { saveVideo } from "../../src/service/video-file.ts";
import { tightenDataDirectory } from "../../src/util/data-permissions.ts";
import { waitUntil } from "../support/wait-until.ts";
import { healthStatus } from "./support/raw-http.ts";

const main = new URL("../../src/main.ts", import.meta.url).pathname;
const tinyVideo = new URL("../fixtures/media/tiny.mp4", import.meta.url).pathname;
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

let scratch: string | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function startBot(dataDirectory: string) {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDirectory, PORT: "0", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  return { output: () => output };
}

describe("data files are private to the bot's user", () => {
  it("a DATA_DIR the bot creates: 0700, its database and key 0600; looser old files tightened", async () => {
    scratch = await mkdtemp(join(tmpdir(), "seedance-files-"));
    const fresh = join(scratch, "fresh", "data");
    const bot = startBot(fresh);
    await waitUntil(() => /Open (http:\/\/127\.0\.0\.1:\d+)\//.test(bot.output()), {
      message: "start-up",
    });
    const baseUrl = /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(bot.output())?.[1] ?? "";
    expect(await healthStatus(baseUrl)).toBe(200);
    expect(modeOf(fresh)).toBe("700");
    for (const name of ["jobs.sqlite", "media-signing.key", "seedance-bot.lock"]) {
      expect(modeOf(join(fresh, name))).toBe("600");
    }
    for (const name of ["jobs.sqlite-wal", "jobs.sqlite-shm", "media", "videos", "simulator"]) {
      const path = join(fresh, name);
      if (existsSync(path)) expect(modeOf(path)).toMatch(/^(600|700)$/);
    }
  });

  it("files an older version left readable are made private at start-up, with a warning", async () => {
    scratch = await mkdtemp(join(tmpdir(), "seedance-files-"));
    const old = join(scratch, "old");
    await mkdir(join(old, "videos"), { recursive: true, mode: 0o755 });
    await mkdir(join(old, "media"), { mode: 0o755 });
    await writeFile(join(old, "videos", "job1.mp4"), "video", { mode: 0o644 });
    await writeFile(join(old, "media", "abc"), "image", { mode: 0o644 });
    await writeFile(join(old, "media-signing.key"), "k".repeat(64), { mode: 0o644 });
    await chmod(old, 0o755);
    const bot = startBot(old);
    await waitUntil(() => bot.output().includes("Open http"), {
      message: "start-up",
    });
    expect(modeOf(join(old, "videos"))).toBe("700");
    expect(modeOf(join(old, "media"))).toBe("700");
    for (const file of ["videos/job1.mp4", "media/abc", "media-signing.key", "jobs.sqlite"]) {
      expect(modeOf(join(old, file))).toBe("600");
    }
    expect(bot.output()).toContain("made files in DATA_DIR private");
    // DATA_DIR itself was the operator's choice: named in a warning, left as it was.
    expect(bot.output()).toContain("is open to other users (mode 755)");
    expect(modeOf(old)).toBe("755");
    expect(await readFile(join(old, "media-signing.key"), "utf8")).toBe("k".repeat(64));
  });

  it("videos and media are written 0600 in 0700 folders whatever the umask", async () => {
    scratch = await mkdtemp(join(tmpdir(), "seedance-files-"));
    const video = await saveVideo(
      { body: createReadStream(tinyVideo), contentType: "video/mp4" },
      join(scratch, "videos"),
      "job-1",
      10 * 1024 ** 2,
    );
    expect(modeOf(join(scratch, "videos"))).toBe("700");
    expect(modeOf(video.path)).toBe("600");
    const media = createFileBlobStore({ directory: join(scratch, "media"), orphanAgeMs: 1000 });
    const metadata = { contentType: "image/png", fileName: "a.png", expiresAt: Date.now() + 1000 };
    await media.put("fromBytes", Readable.from([Buffer.from("png")]), metadata);
    await media.put("fromFile", createReadStream(tinyVideo), metadata);
    expect(modeOf(join(scratch, "media"))).toBe("700");
    for (const name of ["fromBytes", "fromBytes.json", "fromFile", "fromFile.json"]) {
      expect(modeOf(join(scratch, "media", name))).toBe("600");
    }
    expect((await tightenDataDirectory(scratch)).tightened).toEqual([]);
  });
});
