import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "./support/wait-until.ts";

const main = new URL("../src/main.ts", import.meta.url).pathname;

function startBot(dataDirectory: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: dataDirectory,
      PORT: "0",
      LOG_LEVEL: "info",
      ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  return { child, output: () => output };
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

describe("the bot process", () => {
  let directory: string;
  const children: ChildProcess[] = [];

  afterEach(() => {
    for (const child of children) child.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
  });

  it("starts with nothing configured, serves /healthz, and stops cleanly on SIGTERM", async () => {
    directory = mkdtempSync(join(tmpdir(), "seedance-process-"));
    const bot = startBot(directory);
    children.push(bot.child);
    await waitUntil(() => /Open http:\/\/127\.0\.0\.1:\d+\//.test(bot.output()), {
      timeoutMs: 15_000,
      message: "start-up",
    });
    const port = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(bot.output())?.[1];
    expect((await request(`http://127.0.0.1:${port}/healthz`)).statusCode).toBe(200);
    expect(existsSync(join(directory, "seedance-bot.lock"))).toBe(true);

    bot.child.kill("SIGTERM");
    expect(await exitOf(bot.child)).toBe(0);
    expect(bot.output()).toContain("shutting down; unfinished jobs resume on the next start");
    expect(existsSync(join(directory, "seedance-bot.lock"))).toBe(false);
  });

  it("refuses a second process on the same DATA_DIR, and a bad setting, with one clear message", async () => {
    directory = mkdtempSync(join(tmpdir(), "seedance-process-"));
    const first = startBot(directory);
    children.push(first.child);
    await waitUntil(() => first.output().includes("Open http"), {
      timeoutMs: 15_000,
      message: "start-up",
    });
    const second = startBot(directory);
    children.push(second.child);
    expect(await exitOf(second.child)).toBe(1);
    expect(second.output()).toContain(`is using DATA_DIR=${directory}`);

    const misconfigured = startBot(directory, { PROVIDER: "oxen", PORT: "eighty" });
    children.push(misconfigured.child);
    expect(await exitOf(misconfigured.child)).toBe(1);
    expect(misconfigured.output()).toContain("Invalid configuration:");
    expect(misconfigured.output()).toContain(
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
    );
    expect(misconfigured.output()).toContain("OXEN_API_KEY is required when PROVIDER=oxen");
  });
});
