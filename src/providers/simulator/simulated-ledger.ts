import { z } from "zod";
import { JsonLinesFile, readJsonLines } from "../../util/json-lines-file.ts";
import { clipSpecificationSchema } from "./clip-specification.ts";

/** What the simulated service keeps of a job: enough to derive its whole timeline again. */
export const storedJobSchema = z.object({
  kind: z.literal("job"),
  providerJobId: z.string().min(1),
  jobId: z.string().min(1),
  modelId: z.string().min(1),
  prompt: z.string(),
  /** Epoch milliseconds of the submit. */
  createdAt: z.number(),
  totalMs: z.number().nonnegative(),
  failure: z.string().optional(),
  clip: clipSpecificationSchema.optional(),
});

const cancelledSchema = z.object({
  kind: z.literal("cancelled"),
  providerJobId: z.string().min(1),
  at: z.number(),
});

const recordSchema = z.discriminatedUnion("kind", [storedJobSchema, cancelledSchema]);

export type StoredJob = z.infer<typeof storedJobSchema>;

export interface LedgerContents {
  jobs: StoredJob[];
  cancelled: Set<string>;
}

/**
 * The simulated service's jobs in an append-only JSON-lines file (DATA_DIR/simulator/jobs.jsonl):
 * one line per submit, one per cancel. Kept to the newest `maxJobs`; rewritten when it has grown
 * to twice that.
 */
export function createSimulatedLedger(path: string, maxJobs: number) {
  const file = new JsonLinesFile(path);
  const jobs = new Map<string, StoredJob>();
  const cancelled = new Set<string>();
  let lines = 0;

  function records(): unknown[] {
    const kept: unknown[] = [...jobs.values()];
    for (const providerJobId of cancelled) {
      if (jobs.has(providerJobId)) kept.push({ kind: "cancelled", providerJobId, at: 0 });
    }
    return kept;
  }

  /** The oldest go first (the service prunes finished jobs from memory the same way). */
  function trim(): void {
    for (const providerJobId of jobs.keys()) {
      if (jobs.size <= maxJobs) break;
      jobs.delete(providerJobId);
      cancelled.delete(providerJobId);
    }
  }

  async function compactIfLarge(): Promise<void> {
    if (lines <= maxJobs * 2) return;
    trim();
    const kept = records();
    lines = kept.length;
    await file.rewrite(kept);
  }

  return {
    async load(): Promise<LedgerContents> {
      for (const record of await readJsonLines(path, recordSchema)) {
        if (record.kind === "job") jobs.set(record.providerJobId, record);
        else cancelled.add(record.providerJobId);
      }
      trim();
      for (const providerJobId of cancelled) {
        if (!jobs.has(providerJobId)) cancelled.delete(providerJobId);
      }
      const kept = records();
      lines = kept.length;
      if (kept.length > 0) await file.rewrite(kept);
      return { jobs: [...jobs.values()], cancelled: new Set(cancelled) };
    },
    async add(job: StoredJob): Promise<void> {
      jobs.set(job.providerJobId, job);
      lines += 1;
      await file.append(job);
      await compactIfLarge();
    },
    async cancel(providerJobId: string, at: number): Promise<void> {
      cancelled.add(providerJobId);
      lines += 1;
      await file.append({ kind: "cancelled", providerJobId, at });
      await compactIfLarge();
    },
    /** A pruned job: gone from the next rewrite. */
    forget(providerJobId: string): void {
      jobs.delete(providerJobId);
      cancelled.delete(providerJobId);
    },
    idle: () => file.idle(),
  };
}

export type SimulatedLedger = ReturnType<typeof createSimulatedLedger>;
