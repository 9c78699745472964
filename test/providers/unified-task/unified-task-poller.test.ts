import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import type {
  TaskRead,
  UnifiedTaskClient,
} from "../../../src/providers/unified-task/unified-task-client.ts";
import { unifiedTaskDialects } from "../../../src/providers/unified-task/unified-task-dialects.ts";
import { TaskPoller } from "../../../src/providers/unified-task/unified-task-poller.ts";
import type { UnifiedTask } from "../../../src/providers/unified-task/unified-task-schemas.ts";
import { readTask } from "../../../src/providers/unified-task/unified-task-updates.ts";
import { recordingListener } from "../oxen/oxen-test-helpers.ts";
import { usePollerFakeTimers } from "./unified-task-test-helpers.ts";

const dialect = unifiedTaskDialects.evolink;

/** The task API as an in-memory table (a hand-written double): no sockets, so no timers of its own. */
function inMemoryApi() {
  const tasks = new Map<string, UnifiedTask>();
  const reads: string[] = [];
  const client: UnifiedTaskClient = {
    baseUrl: "https://api.invalid",
    send: () => Promise.reject(new Error("not used")),
    async getTask(id): Promise<TaskRead> {
      reads.push(id);
      const task = tasks.get(id);
      return task ? { kind: "task", task: structuredClone(task) } : { kind: "missing", reason: "" };
    },
  };
  const put = (id: string, fields: Partial<UnifiedTask> = {}) => {
    const task: UnifiedTask = {
      id,
      status: "pending",
      progress: 0,
      task_info: { estimated_time: 40 },
      ...fields,
    };
    tasks.set(id, task);
    return task;
  };
  return { client, tasks, reads, put };
}

describe("unified-task poller", () => {
  let api: ReturnType<typeof inMemoryApi>;
  let poller: TaskPoller;
  const listener = recordingListener();

  beforeEach(() => {
    usePollerFakeTimers();
    api = inMemoryApi();
    listener.updates.length = 0;
    poller = new TaskPoller({
      client: api.client,
      dialect,
      logger: createSilentLogger(),
      now: () => Date.now(),
      random: () => 0.5,
    });
    poller.start(listener);
  });

  afterEach(async () => {
    await poller.stop();
    vi.useRealTimers();
  });

  const track = (id: string) => poller.trackSubmitted(id, readTask(dialect, api.put(id)));

  it("holds one timer however many tasks wait, and none once they are done", async () => {
    for (let index = 0; index < 20; index++) track(`task-unified-1-${index}`);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.reads).toHaveLength(20);
    expect(vi.getTimerCount()).toBe(1);
    for (const task of api.tasks.values()) Object.assign(task, { status: "failed" });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(listener.updates.filter((update) => update.state === "failed")).toHaveLength(20);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reconcile: adopts the service's pending list and returns only news", async () => {
    api.put("task-unified-1-same", { status: "pending" });
    api.put("task-unified-1-started", { status: "processing", progress: 30 });
    api.put("task-unified-1-done", { status: "completed", results: ["https://cdn.invalid/v.mp4"] });
    const updates = await poller.reconcile([
      { providerJobId: "task-unified-1-same", state: "queued" },
      { providerJobId: "task-unified-1-started", state: "queued" },
      { providerJobId: "task-unified-1-done", state: "running" },
    ]);
    expect(updates).toEqual([
      { providerJobId: "task-unified-1-started", state: "running", progress: 30, etaSeconds: 40 },
      {
        providerJobId: "task-unified-1-done",
        state: "succeeded",
        progress: 0,
        resultUrl: "https://cdn.invalid/v.mp4",
      },
    ]);
    expect(api.reads).toHaveLength(3);

    // A second sweep reads again (it replaces the next poll rather than adding one).
    api.put("task-unified-1-same", { status: "processing", progress: 5 });
    expect(
      await poller.reconcile([
        { providerJobId: "task-unified-1-same", state: "queued" },
        { providerJobId: "task-unified-1-started", state: "running" },
      ]),
    ).toEqual([
      { providerJobId: "task-unified-1-same", state: "running", progress: 5, etaSeconds: 40 },
    ]);
    expect(api.reads).toHaveLength(5);
  });

  it("reconcile: forgets tasks the service no longer waits for, but not ones just created", async () => {
    api.put("task-unified-1-old");
    await poller.reconcile([{ providerJobId: "task-unified-1-old", state: "queued" }]);
    track("task-unified-1-new");
    await poller.reconcile([]);
    api.reads.length = 0;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(new Set(api.reads)).toEqual(new Set(["task-unified-1-new"]));
  });

  it("reads a task named by a callback at once, and an unknown one only once", async () => {
    track("task-unified-1-known");
    api.put("task-unified-1-stranger", { status: "processing" });
    expect(poller.readNow("task-unified-1-known")).toBe(true);
    expect(poller.readNow("task-unified-1-stranger")).toBe(true);
    await poller.idle();
    expect(api.reads).toEqual(["task-unified-1-known", "task-unified-1-stranger"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.reads.filter((id) => id === "task-unified-1-stranger")).toHaveLength(1);
  });
});
