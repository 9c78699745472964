import { describe, expect, it, vi } from "vitest";
import { startHeapTrim, TrimSchedule } from "../../src/util/heap-trim.ts";
import { capturedLogger } from "../media/log-capture.ts";

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

  it("started: one collection after a burst once quiet, logged once with the memory readings", () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const logs = capturedLogger();
      // Injected readings, one per interval: busy twice (the burst), then quiet.
      const loads = [0.9, 0.8, 0.01, 0.01, 0.01, 0.01, 0.01];
      let resident = 150 * mebibyte;
      let clock = 0;
      const collections: object[] = [];
      const trim = startHeapTrim({
        logger: logs.logger,
        intervalMs: 1_000,
        schedule: { quietIntervals: 3 },
        utilization: () => loads.shift() ?? 0.01,
        residentBytes: () => resident,
        now: () => clock,
        collect: (options) => {
          collections.push(options);
          clock += 40;
          resident = 120 * mebibyte;
        },
      });
      resident = 400 * mebibyte;
      vi.advanceTimersByTime(4_000);
      expect(collections).toEqual([]);
      vi.advanceTimersByTime(1_000);
      expect(collections).toEqual([{ type: "major", execution: "sync", flavor: "last-resort" }]);
      // Quiet from then on: nothing more to give back, so no second collection.
      vi.advanceTimersByTime(20_000);
      trim.stop();
      expect(collections).toHaveLength(1);
      const trims = logs
        .lines()
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === "gave memory back to the system after a burst");
      expect(trims).toEqual([
        expect.objectContaining({ milliseconds: 40, rssBeforeMiB: 400, rssAfterMiB: 120 }),
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("without --expose-gc (no collect function) it does nothing", () => {
    const logs = capturedLogger();
    const trim = startHeapTrim({ logger: logs.logger, collect: undefined });
    trim.stop();
    expect(logs.text()).toContain("no heap trimming: node was started without --expose-gc");
  });
});
