import { join } from "node:path";
import { z } from "zod";
import { JsonLinesFile, readJsonLines } from "../../src/util/json-lines-file.ts";
import type { Entry } from "./entries.ts";
import { maxTimelineEntries, type Timeline } from "./timeline.ts";

/** Enough of an entry to place it; the rest is the page's to read (the file is the bot's own, 0600). */
const storedEntrySchema = z
  .object({
    kind: z.enum(["message", "card", "notice", "error", "jobs"]),
    id: z.string().min(1),
    threadId: z.string(),
    at: z.number(),
  })
  .loose();

/**
 * The playground's threads in DATA_DIR/playground/timeline.jsonl: every entry as it is shown,
 * appended on each change, replayed at start-up (the last version of each entry wins, in the
 * order entries first appeared), and rewritten once it holds twice what the timeline keeps.
 */
export async function persistTimeline(
  timeline: Timeline,
  directory: string,
  onError: (error: unknown) => void,
): Promise<{ restored: number; idle: () => Promise<unknown>; close: () => void }> {
  const path = join(directory, "timeline.jsonl");
  const file = new JsonLinesFile(path);
  const stored = await readJsonLines(path, storedEntrySchema);
  for (const entry of stored) timeline.upsert(entry as unknown as Entry);
  let lines = stored.length;
  const compact = () => {
    const kept = timeline.list();
    lines = kept.length;
    file.rewrite(kept).catch(onError);
  };
  if (lines > timeline.list().length) compact();
  const unsubscribe = timeline.subscribe((entry) => {
    lines += 1;
    file.append(entry).catch(onError);
    if (lines > maxTimelineEntries * 2) compact();
  });
  return { restored: timeline.list().length, idle: () => file.idle(), close: unsubscribe };
}
