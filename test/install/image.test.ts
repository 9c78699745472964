import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { request } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { findOnPath } from "../support/executables.ts";
import { killSpawnedProcesses, spawnProcess } from "../support/spawned-process.ts";
import { buildImageFolders } from "./image-folder.ts";

const context = join(import.meta.dirname, "../..");
const root = mkdtempSync(join(tmpdir(), "seedance-image-"));
afterAll(() => {
  killSpawnedProcesses();
  rmSync(root, { recursive: true, force: true });
});

describe("the Docker image, built without a Docker engine", () => {
  // npm ci and a start-up on a loaded machine: minutes at worst, seconds usually.
  it("holds what it COPYs, installs with its npm ci, and its CMD serves /healthz", {
    timeout: 240_000,
  }, async () => {
    const image = await buildImageFolders(context, root);
    expect(image.installs).toEqual(["npm ci --omit=dev --no-audit --no-fund"]);
    // ffmpeg (posters, fitting videos to upload limits, the simulator's clips) comes from apt;
    // this machine stands in for the image's system packages, so both programs must be here.
    expect(image.systemPackages).toEqual(["ffmpeg"]);
    expect(findOnPath("ffmpeg", "/usr/bin:/bin")).toBeDefined();
    expect(findOnPath("ffprobe", "/usr/bin:/bin")).toBeDefined();
    // Production dependencies only, and none of what the .dockerignore leaves out.
    expect(existsSync(join(image.app, "node_modules/zod"))).toBe(true);
    expect(existsSync(join(image.app, "node_modules/vitest"))).toBe(false);
    expect(existsSync(join(image.app, "test"))).toBe(false);

    const [program, ...parameters] = image.stage.command ?? [];
    expect(program).toBe("node");
    const data = join(root, "data");
    const bot = spawnProcess(process.execPath, parameters, {
      cwd: image.app,
      env: {
        ...image.stage.environment,
        // Loopback and temporary instead of the image's 0.0.0.0:3000 and /data.
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: data,
        PATH: [dirname(process.execPath), "/usr/bin", "/bin"].join(delimiter),
        HOME: root,
      },
    });
    const [, port] = await bot.waitFor(
      /"port":(\d+)[^\n]*seedance-bot is running/,
      "the bot to start",
    );
    const health = await request(`http://127.0.0.1:${port}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: "ok" });
    expect(bot.stderr()).toBe("");
    bot.child.kill("SIGTERM");
    expect(await bot.exited()).toBe(0);
  });
});
