import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import {
  type CapturedLogs,
  captureLogs,
  type RecordingListener,
  realPause,
  recordingListener,
  until,
  useOxenFakeTimers,
} from "./oxen-test-helpers.ts";

const model = "bytedance-seedance-2-0-text-to-video";
const completed = (data: Record<string, unknown>) =>
  `event: media_generation_completed\ndata: ${JSON.stringify(data)}\n\n`;

describe("Oxen event stream", () => {
  let fake: FakeOxenServer;
  let provider: GenerationProvider;
  let listener: RecordingListener;
  let logs: CapturedLogs;

  async function startProvider(apiKey = fake.apiKey) {
    provider = createOxenProvider({
      apiKey,
      baseUrl: fake.baseUrl,
      logger: logs.logger,
      random: () => 0.5,
    });
    await provider.start(listener);
  }

  beforeEach(async () => {
    fake = await startFakeOxenServer();
    logs = captureLogs();
    listener = recordingListener();
    useOxenFakeTimers();
  });

  afterEach(async () => {
    await provider.stop();
    vi.useRealTimers();
    await fake.close();
  });

  it("connects with the key and delivers completions and failures", async () => {
    await startProvider();
    expect(listener.connects).toBe(1);
    expect(provider.isConnected()).toBe(true);
    const events = fake.requests.find((request) => request.pathname === "/api/events");
    expect(events?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);

    const done = fake.addJob(model);
    const broken = fake.addJob(model);
    fake.complete(done.id);
    fake.fail(broken.id, "Insufficient credits");
    await until(() => listener.updates.length === 2, "two updates");

    expect(listener.updates).toEqual([
      { providerJobId: done.id, state: "succeeded", resultUrl: fake.resultUrlFor(done.id) },
      { providerJobId: broken.id, state: "failed", error: "Insufficient credits" },
    ]);
    expect(logs.text()).not.toContain(fake.apiKey);
    expect(logs.text()).not.toContain(fake.resultUrlFor(done.id));
  });

  it("reassembles an event split across chunks, even inside a character", async () => {
    await startProvider();
    const bytes = Buffer.from(
      completed({
        generation_id: "g-1",
        status: "failed",
        media_type: "video",
        error: "Blocked ✓",
      }),
    );
    const cut = bytes.indexOf(Buffer.from("✓")) + 1;
    fake.emitRaw(bytes.subarray(0, 20));
    await realPause(5);
    fake.emitRaw(bytes.subarray(20, cut));
    await realPause(5);
    fake.emitRaw(bytes.subarray(cut));
    await until(() => listener.updates.length === 1, "the split event");
    expect(listener.updates[0]).toEqual({
      providerJobId: "g-1",
      state: "failed",
      error: "Blocked ✓",
    });
  });

  it("ignores comments, other event types and malformed data, and keeps going", async () => {
    await startProvider();
    fake.emitRaw(": keep-alive\n\n");
    fake.emitRaw('event: deployment_updated\ndata: {"deployment_id":"d-1","status":"ready"}\n\n');
    fake.emitRaw('data: {"generation_id":"g-0","status":"succeeded"}\n\n');
    fake.emitRaw("event: media_generation_completed\ndata: {not json\n\n");
    fake.emitRaw(completed({ generation_id: "g-1", status: "exploded" }));
    fake.emitRaw(completed({ status: "succeeded" }));
    fake.emitRaw(
      completed({
        generation_id: "g-2",
        status: "succeeded",
        media_type: "video",
        url: "https://x/y.mp4",
      }),
    );
    await until(() => listener.updates.length === 1, "the valid event");
    await realPause(10);

    expect(listener.updates).toEqual([
      { providerJobId: "g-2", state: "succeeded", resultUrl: "https://x/y.mp4" },
    ]);
    expect(logs.messages("warn")).toEqual([
      "skipped an Oxen event whose data is not JSON",
      "skipped an Oxen event with unexpected data",
      "skipped an Oxen event with unexpected data",
    ]);
    expect(listener.connects).toBe(1);
    expect(listener.disconnects).toEqual([]);
  });

  it("reconnects after a drop with growing backoff and says so each time", async () => {
    await startProvider();
    fake.failNext("GET", "/api/events", 503, { times: 2 });
    fake.dropStreams();
    await until(() => listener.disconnects.length === 1, "the drop");
    expect(provider.isConnected()).toBe(false);

    // 1 s, then 2 s, then 4 s between attempts (random = 0.5 means no jitter).
    for (const [delay, attempts] of [
      [1_000, 2],
      [2_000, 3],
      [4_000, 4],
    ] as const) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(fake.requests.filter((request) => request.pathname === "/api/events")).toHaveLength(
        attempts - 1,
      );
      await vi.advanceTimersByTimeAsync(1);
      await until(
        () =>
          fake.requests.filter((request) => request.pathname === "/api/events").length === attempts,
        `attempt ${attempts}`,
      );
    }
    await until(() => listener.connects === 2, "the reconnect");
    expect(provider.isConnected()).toBe(true);
    expect(fake.sseClientCount()).toBe(1);

    // Events flow again on the new connection.
    const job = fake.addJob(model);
    fake.complete(job.id);
    await until(() => listener.updates.length === 1, "an event after reconnecting");
  });

  it("starts over at 1 s after a connection that carried data", async () => {
    await startProvider();
    fake.dropStreams();
    await until(() => listener.disconnects.length === 1, "the first drop");
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => listener.connects === 2, "the first reconnect");
    fake.sendKeepAlive();
    await until(
      () => logs.messages("trace").includes("Oxen event stream keep-alive"),
      "the keep-alive",
    );
    fake.dropStreams();
    await until(() => listener.disconnects.length === 2, "the second drop");
    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => listener.connects === 3, "the second reconnect");
  });

  it("treats 45 s without a byte as a dead stream, and keep-alives as life", async () => {
    await startProvider();
    fake.setStreamMode("stall");

    await vi.advanceTimersByTimeAsync(30_000);
    fake.setStreamMode("keepAliveOnly");
    fake.sendKeepAlive();
    await until(
      () => logs.messages("trace").includes("Oxen event stream keep-alive"),
      "the keep-alive",
    );
    await vi.advanceTimersByTimeAsync(44_999);
    expect(listener.disconnects).toEqual([]);
    expect(provider.isConnected()).toBe(true);

    await vi.advanceTimersByTimeAsync(1);
    await until(() => listener.disconnects.length === 1, "the idle drop");
    expect(listener.disconnects[0]).toBe("no data for 45000 ms");
    expect(provider.isConnected()).toBe(false);

    await vi.advanceTimersByTimeAsync(1_000);
    await until(() => listener.connects === 2, "the reconnect");
    expect(fake.sseConnectionsOpened()).toBe(2);
    await until(() => fake.sseClientCount() === 1, "the old socket to close");
  });

  it("logs a rejected key as an error and retries slowly", async () => {
    await startProvider("not-the-key");
    expect(listener.connects).toBe(0);
    expect(provider.isConnected()).toBe(false);
    await until(() => logs.messages("error").length === 1, "the error log");
    expect(logs.messages("error")[0]).toMatch(/401/);
    expect(logs.text()).not.toContain("not-the-key");

    await vi.advanceTimersByTimeAsync(119_999);
    expect(fake.requests.filter((request) => request.pathname === "/api/events")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(
      () => fake.requests.filter((request) => request.pathname === "/api/events").length === 2,
      "the slow retry",
    );
  });

  it("stop closes the stream and no reconnect follows", async () => {
    await startProvider();
    await provider.stop();
    expect(provider.isConnected()).toBe(false);
    await until(() => fake.sseClientCount() === 0, "the server to see the close");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fake.sseConnectionsOpened()).toBe(1);
    expect(listener.disconnects).toEqual([]);
  });
});
