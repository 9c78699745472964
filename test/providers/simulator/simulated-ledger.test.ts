import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createSimulatedLedger,
  type StoredJob,
} from "../../../src/providers/simulator/simulated-ledger.ts";

const job = (index: number): StoredJob => ({
  kind: "job",
  providerJobId: `sim-${index}`,
  jobId: `job-${index}`,
  modelId: "model",
  prompt: `prompt ${index}`,
  createdAt: index,
  totalMs: 4000,
});

describe("the simulator's job ledger", () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "simulator-ledger-"));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("keeps the newest jobs and their cancels, and skips a torn last line", async () => {
    const path = join(directory, "jobs.jsonl");
    const ledger = createSimulatedLedger(path, 10);
    await ledger.load();
    for (let index = 0; index < 25; index += 1) await ledger.add(job(index));
    await ledger.cancel("sim-24", 99);
    await ledger.cancel("sim-3", 99);
    await appendFile(path, '{"kind":"job","providerJobId":"sim-torn"');
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.length).toBeLessThanOrEqual(22);

    const reopened = await createSimulatedLedger(path, 10).load();
    expect(reopened.jobs.map((stored) => stored.providerJobId)).toEqual(
      Array.from({ length: 10 }, (_, index) => `sim-${index + 15}`),
    );
    expect([...reopened.cancelled]).toEqual(["sim-24"]);
  });
});
