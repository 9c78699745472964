import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cardTitle, completedUploads } from "../adapters/slack/slack-views.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { FakeSlack } from "../fakes/fake-slack.ts";
import { slashCommand } from "../fakes/fake-slack-payloads.ts";
import {
  killSpawnedProcesses,
  type SpawnedProcess,
  spawnProcess,
} from "../support/spawned-process.ts";
import { waitUntil } from "../support/wait-until.ts";

const main = new URL("../../src/main.ts", import.meta.url).pathname;
const runningLine = /"port":(\d+)[^\n]*seedance-bot is running/;
const isCreate = (request: { method: string; pathname: string }) =>
  request.method === "POST" && request.pathname === "/api/ai/queue";

const directories: string[] = [];
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  killSpawnedProcesses();
  for (const close of closers) await close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function startBot(
  directory: string,
  fake: FakeSlack,
  hub: FakeOxenServer,
  mode: "socket" | "http",
  port: number,
): SpawnedProcess {
  return spawnProcess(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: directory,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      PROVIDER: "oxen",
      OXEN_API_KEY: hub.apiKey,
      OXEN_BASE_URL: hub.baseUrl,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_API_URL: fake.apiUrl,
      ...(mode === "socket"
        ? { SLACK_APP_TOKEN: fake.appToken }
        : { SLACK_SIGNING_SECRET: fake.signingSecret }),
    },
  });
}

// Real processes spend most of their time starting up: the two modes run side by side.
describe.concurrent("Slack: started, job pending, SIGKILL, immediate restart on the same DATA_DIR", () => {
  for (const mode of ["socket", "http"] as const) {
    it(`${mode === "socket" ? "Socket Mode" : "HTTP"}: the video is delivered once`, async () => {
      const directory = mkdtempSync(join(tmpdir(), "seedance-slack-kill-"));
      directories.push(directory);
      const fake = await FakeSlack.start();
      const hub = await startFakeOxenServer();
      closers.push(
        () => fake.close(),
        () => hub.close(),
      );
      fake.transport = mode;
      fake.userNames.set("U0ALICE", "alice");

      const first = startBot(directory, fake, hub, mode, 0);
      const port = Number((await first.waitFor(runningLine, "start-up"))[1]);
      fake.botUrl = `http://127.0.0.1:${port}/slack/events`;
      if (mode === "socket")
        await waitUntil(() => fake.socket.connected, { message: "Socket Mode" });
      const alice = { id: "U0ALICE", name: "alice" };
      const answer = await fake.send(
        "command",
        slashCommand(fake, alice, "/video", "a kingfisher dives"),
      );
      expect(answer.status).toBe(200);
      await hub.waitForRequests(isCreate);
      const [remote] = [...hub.jobs.values()];
      if (!remote) throw new Error("no job reached the hub");
      // The card is up (and edited once, so its ts is stored) and the job waits on the provider:
      // the process dies without a word.
      await waitUntil(() => fake.callsTo("chat.update").length > 0, { message: "status card" });
      first.child.kill("SIGKILL");
      await first.exited();

      const second = startBot(directory, fake, hub, mode, port);
      await second.waitFor(runningLine, "restart");
      hub.complete(remote.id);
      await waitUntil(() => completedUploads(fake).length === 1, { message: "the video posted" });
      const jobId =
        /Job `([A-Za-z0-9_-]+)`/.exec(
          JSON.stringify(fake.messages.map((message) => message.blocks)),
        )?.[1] ?? "";
      await waitUntil(() => cardTitle(fake, jobId) === "✅ Done", {
        message: "the card says done",
      });
      expect(completedUploads(fake)).toHaveLength(1);
      expect(hub.requests.filter(isCreate)).toHaveLength(1);
      // One card, edited across the restart, not a second one.
      const cards = fake.messages.filter((message) =>
        JSON.stringify(message.blocks ?? []).includes('"job_status"'),
      );
      expect(cards).toHaveLength(1);
      second.child.kill("SIGKILL");
      await second.exited();
    });
  }
});
