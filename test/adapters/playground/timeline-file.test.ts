import { appendFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Entry } from "../../../adapters/playground/index.ts";
import { Timeline } from "../../../adapters/playground/timeline.ts";
import { persistTimeline } from "../../../adapters/playground/timeline-file.ts";

const notice = (index: number, text = `reply ${index}`): Entry => ({
  kind: "notice",
  id: `notice-${index}`,
  threadId: "thread-one",
  at: index,
  text,
});

describe("the playground's threads on disk", () => {
  let directory: string;
  const failures: unknown[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "playground-timeline-"));
    failures.length = 0;
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function reopen(): Promise<Timeline> {
    const timeline = new Timeline();
    const stored = await persistTimeline(timeline, directory, (error) => failures.push(error));
    await stored.idle();
    stored.close();
    return timeline;
  }

  it("comes back in the order entries first appeared, each at its last version, from a 0600 file", async () => {
    const timeline = new Timeline();
    const stored = await persistTimeline(timeline, directory, (error) => failures.push(error));
    timeline.upsert(notice(1));
    timeline.upsert(notice(2));
    timeline.upsert(notice(1, "reply 1, edited"));
    await stored.idle();
    // A crash mid-write leaves a torn last line: it is skipped.
    await appendFile(join(directory, "timeline.jsonl"), '{"kind":"notice","id":"no');
    const restored = await reopen();
    expect(restored.list().map((entry) => [entry.id, "text" in entry && entry.text])).toEqual([
      ["notice-1", "reply 1, edited"],
      ["notice-2", "reply 2"],
    ]);
    expect((await stat(join(directory, "timeline.jsonl"))).mode & 0o777).toBe(0o600);
    expect(failures).toEqual([]);
  });

  it("stays bounded: the newest 2,000 entries, rewritten once it holds twice that", async () => {
    const timeline = new Timeline();
    const stored = await persistTimeline(timeline, directory, (error) => failures.push(error));
    for (let index = 0; index < 4500; index += 1) timeline.upsert(notice(index));
    await stored.idle();
    const lines = (await readFile(join(directory, "timeline.jsonl"), "utf8")).trim().split("\n");
    expect(lines.length).toBeLessThanOrEqual(4001);
    const restored = await reopen();
    expect(restored.list()).toHaveLength(2000);
    expect(restored.list()[0]?.id).toBe("notice-2500");
    expect(restored.list().at(-1)?.id).toBe("notice-4499");
  });
});
