import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CardEntry } from "../../adapters/playground/index.ts";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  killSpawnedProcesses,
  type SpawnedProcess,
  spawnProcess,
} from "../support/spawned-process.ts";
import { waitUntil } from "../support/wait-until.ts";

const main = new URL("../../src/main.ts", import.meta.url).pathname;
const openLine = /Open (http:\/\/127\.0\.0\.1:\d+)\//;
/** Ten minutes: the job is surely pending when the bot is stopped. */
const delayMs = 600_000;

const directories: string[] = [];
afterAll(() => {
  killSpawnedProcesses();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function startBot(directory: string): SpawnedProcess {
  return spawnProcess(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: directory,
      PORT: "0",
      LOG_LEVEL: "info",
      SIMULATOR_DELAY_MS: String(delayMs),
    },
  });
}

/**
 * The machine was off for `ms`: every stored submit time moves that far back. (The timeline of a
 * simulated job is derived from what is stored, so this is what a restart that late would see.)
 */
function rewindSimulator(directory: string, ms: number): void {
  const path = join(directory, "simulator", "jobs.jsonl");
  const lines = readFileSync(path, "utf8").trim().split("\n");
  const moved = lines.map((line) => {
    const record = JSON.parse(line) as { createdAt?: number };
    if (record.createdAt !== undefined) record.createdAt -= ms;
    return JSON.stringify(record);
  });
  writeFileSync(path, `${moved.join("\n")}\n`);
}

async function converse(baseUrl: string) {
  const client = new PlaygroundClient(baseUrl);
  const threadId = clientId();
  const refused = await client.sendMessage(threadId, "/video a lantern --dur 99");
  expect(refused.status).toBe(422);
  const sent = await client.sendMessage(threadId, "/video a paper lantern rising --dur 4");
  const card = sent.body.entries?.find((entry): entry is CardEntry => entry.kind === "card");
  expect(card?.pending).toBe(true);
  return { threadId, jobId: card?.jobId ?? "", before: sent.body.entries ?? [] };
}

describe.concurrent("the playground across a restart of the bot (real processes)", () => {
  for (const [signal, downMs] of [
    ["SIGKILL", delayMs],
    ["SIGTERM", delayMs - 1500],
  ] as const) {
    it(`after ${signal} the thread comes back whole and the video arrives exactly once`, async () => {
      const directory = mkdtempSync(join(tmpdir(), "seedance-restart-"));
      directories.push(directory);
      const first = startBot(directory);
      const [, firstUrl] = await first.waitFor(openLine, "start-up");
      const { threadId, jobId } = await converse(firstUrl ?? "");
      const shown = await new PlaygroundClient(firstUrl ?? "").events();
      await waitUntil(() => shown.inThread(threadId).length === 4, { message: "the thread" });
      shown.close();
      const before = shown.inThread(threadId).map((entry) => [entry.kind, entry.id]);
      first.child.kill(signal);
      await first.exited();

      rewindSimulator(directory, downMs);
      expect(statSync(join(directory, "playground", "timeline.jsonl")).mode & 0o777).toBe(0o600);
      const second = startBot(directory);
      const [, secondUrl] = await second.waitFor(openLine, "restart");
      const page = await new PlaygroundClient(secondUrl ?? "").events();
      await waitUntil(() => page.cards(threadId)[0]?.phase === "done", {
        message: `the video after ${signal}; output:\n${second.output()}`,
      });
      page.close();
      const thread = page.inThread(threadId);
      // The user's two messages, the bot's refusal and the one card, in their order.
      expect(thread.map((entry) => [entry.kind, entry.id])).toEqual(before);
      expect(thread.map((entry) => entry.kind)).toEqual(["message", "error", "message", "card"]);
      expect(thread[1]).toMatchObject({ kind: "error", text: expect.stringContaining("99") });
      const cards = page.cards(threadId);
      expect(cards).toHaveLength(1);
      expect(cards[0]).toMatchObject({ jobId, videoUrl: `api/videos/${jobId}` });
      expect(cards[0]?.error).toBeUndefined();
      const video = await new PlaygroundClient(secondUrl ?? "").bytes(cards[0]?.videoUrl ?? "");
      expect(video.status).toBe(200);
      expect(video.bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
      expect(second.output()).not.toContain("lost this job");
      second.child.kill("SIGTERM");
      await second.exited();
    });
  }
});
