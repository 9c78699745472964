import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TrimSchedule } from "../../src/util/heap-trim.ts";

const child = fileURLToPath(new URL("./heap-trim-child.ts", import.meta.url));
const mebibyte = 1024 * 1024;

describe("heap trim", () => {
  const settings = { busyUtilization: 0.05, quietIntervals: 3, growthBytes: 32 * mebibyte };
  const steps = (schedule: TrimSchedule, rss: number, loads: number[]) =>
    loads.map((load) => {
      const trim = schedule.next(load, rss);
      if (trim) schedule.trimmed(rss);
      return trim;
    });

  it("collects once a burst is followed by a few quiet intervals in a row, never while busy", () => {
    const schedule = new TrimSchedule(settings, 150 * mebibyte);
    // A quiet start-up that did not grow is left alone.
    expect(steps(schedule, 150 * mebibyte, [0.01, 0.01, 0.01, 0.01])).toEqual([
      false,
      false,
      false,
      false,
    ]);
    // Quiet intervals must follow one another: the busy one in between starts the count again.
    expect(steps(schedule, 150 * mebibyte, [0.6, 0.01, 0.01, 0.3, 0.01, 0.01, 0.01, 0.01])).toEqual(
      [false, false, false, false, false, false, true, false],
    );
  });

  it("collects when quiet after resident memory grew since start-up or the last collection", () => {
    const schedule = new TrimSchedule(settings, 150 * mebibyte);
    // A recovery took 40 MiB before the first interval: given back once quiet.
    expect(steps(schedule, 190 * mebibyte, [0.01, 0.01, 0.01, 0.01])).toEqual([
      false,
      false,
      true,
      false,
    ]);
    // 20 MiB more is not worth a collection; 40 MiB more is.
    expect(steps(schedule, 210 * mebibyte, [0.01, 0.01, 0.01])).toEqual([false, false, false]);
    expect(steps(schedule, 230 * mebibyte, [0.01])).toEqual([true]);
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
