import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TrimSchedule } from "../../src/util/heap-trim.ts";

const child = fileURLToPath(new URL("./heap-trim-child.ts", import.meta.url));
const mebibyte = 1024 * 1024;

describe("heap trim", () => {
  it("collects at the first quiet interval after busy ones, never while busy", () => {
    const schedule = new TrimSchedule({ busyUtilization: 0.05, growthBytes: 32 * mebibyte });
    const rss = 150 * mebibyte;
    const step = (load: number) => {
      const trim = schedule.next(load, rss);
      if (trim) schedule.trimmed(rss);
      return trim;
    };
    // Start-up counts as busy: the first quiet interval collects, the following ones do not.
    expect([0.01, 0.01, 0.01].map(step)).toEqual([true, false, false]);
    expect([0.6, 0.9, 0.2, 0.01, 0.02].map(step)).toEqual([false, false, false, true, false]);
  });

  it("collects when quiet after resident memory grew since the last collection", () => {
    const schedule = new TrimSchedule({ busyUtilization: 0.05, growthBytes: 32 * mebibyte });
    schedule.trimmed(150 * mebibyte);
    expect(schedule.next(0.01, 170 * mebibyte)).toBe(false);
    expect(schedule.next(0.2, 250 * mebibyte)).toBe(false);
    schedule.trimmed(150 * mebibyte);
    expect(schedule.next(0.02, 190 * mebibyte)).toBe(true);
  });

  it("a real process gives the memory of a burst back once quiet, and says so once", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", child], {
      timeout: 20_000,
    });
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { msg: string; rss: number });
    const afterBurst = lines.find((line) => line.msg === "after the burst");
    const quiet = lines.find((line) => line.msg === "quiet");
    const trims = lines.filter(
      (line) => line.msg === "gave memory back to the system after a burst",
    );
    expect(trims).toHaveLength(1);
    // The burst left well over 100 MiB resident that the heap no longer uses; most of it goes back.
    expect(afterBurst && quiet && afterBurst.rss - quiet.rss).toBeGreaterThan(60 * mebibyte);
  });
});
