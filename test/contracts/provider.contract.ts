import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type GenerationRequestInput,
  generationModes,
  generationRequestSchema,
  tiers,
} from "../../src/domain/generation-request.ts";
import type {
  GenerationProvider,
  ProviderListener,
  ProviderUpdate,
  SubmitInput,
} from "../../src/providers/generation-provider.ts";
import { waitUntil } from "../support/wait-until.ts";

export type ContractOutcome = "success" | "failure";

/** One provider wired to its fake (or to nothing, for the simulator), not started yet. */
export interface ProviderContractSubject {
  provider: GenerationProvider;
  /** A prompt for a job that should end as asked (the simulator decides at submit, from it). */
  prompt(outcome: ContractOutcome): string;
  /** Makes the provider's side finish the job as asked; a no-op where the prompt decided. */
  finish(providerJobId: string, outcome: ContractOutcome): Promise<void>;
  /** An id shaped like the provider's own that it never issued. */
  unknownProviderJobId: string;
  close(): Promise<void>;
}

const terminal = new Set(["succeeded", "failed", "cancelled"]);

/** The behaviour every GenerationProvider must share; each implementation's test file runs it. */
export function providerContract(
  name: string,
  factory: () => Promise<ProviderContractSubject>,
): void {
  describe(`${name} (GenerationProvider contract)`, () => {
    let subject: ProviderContractSubject;
    let provider: GenerationProvider;
    const updates: ProviderUpdate[] = [];
    const listener: ProviderListener = {
      onUpdate: (update) => updates.push(update),
      onConnected: () => {},
      onDisconnected: () => {},
    };

    beforeEach(async () => {
      vi.useFakeTimers({
        toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
      });
      updates.length = 0;
      subject = await factory();
      provider = subject.provider;
    });

    afterEach(async () => {
      await provider.stop();
      await subject.close();
      vi.useRealTimers();
    });

    function input(outcome: ContractOutcome, request: Partial<GenerationRequestInput> = {}) {
      const parsed = generationRequestSchema.parse({
        mode: "text",
        prompt: subject.prompt(outcome),
        duration: 5,
        ...request,
      });
      const submitInput: SubmitInput = {
        jobId: `contract-${Math.random().toString(36).slice(2, 10)}`,
        model: provider.catalog[parsed.mode][parsed.tier],
        request: parsed,
        createdAt: Date.now(),
      };
      return submitInput;
    }

    async function started(outcome: ContractOutcome) {
      await provider.start(listener);
      return (await provider.submit(input(outcome))).providerJobId;
    }

    /** Lets fake time pass until `condition` holds (pushes, polls and simulated work need it). */
    async function passTimeUntil(condition: () => boolean | Promise<boolean>, message: string) {
      await waitUntil(
        async () => {
          if (await condition()) return true;
          await vi.advanceTimersByTimeAsync(1_000);
          return false;
        },
        { message },
      );
    }

    async function finished(providerJobId: string, outcome: ContractOutcome) {
      await subject.finish(providerJobId, outcome);
      await passTimeUntil(
        async () => terminal.has((await provider.getStatus(providerJobId)).state),
        "the job to end",
      );
    }

    it("offers a model for every mode and tier, with limits of that mode and tier", () => {
      expect(provider.name).toMatch(/^[a-z]+$/);
      for (const mode of generationModes) {
        for (const tier of tiers) {
          const entry = provider.catalog[mode][tier];
          expect(entry.id).not.toBe("");
          expect(entry.limits).toMatchObject({ mode, tier });
          expect(entry.limits.resolutions.length).toBeGreaterThan(0);
        }
      }
    });

    it("starts connected and stops cleanly", async () => {
      await provider.start(listener);
      expect(provider.isConnected()).toBe(true);
      await provider.stop();
    });

    it("submits a request and reports the job pending, then reads the same job back", async () => {
      const providerJobId = await started("success");
      expect(providerJobId).not.toBe("");
      const status = await provider.getStatus(providerJobId);
      expect(status.providerJobId).toBe(providerJobId);
      expect(["queued", "running"]).toContain(status.state);
    });

    it("pushes a success to the listener, with a URL that opens to the video", async () => {
      const providerJobId = await started("success");
      await subject.finish(providerJobId, "success");
      const pushed = () =>
        updates.find(
          (update) => update.providerJobId === providerJobId && terminal.has(update.state),
        );
      await passTimeUntil(() => pushed() !== undefined, "the pushed success");
      expect(pushed()).toMatchObject({ providerJobId, state: "succeeded" });
      const download = await provider.openResult(pushed()?.resultUrl ?? "");
      let size = 0;
      for await (const chunk of download.body) size += (chunk as Buffer).length;
      expect(size).toBeGreaterThan(0);
      const cost = await provider.fetchCost(providerJobId);
      expect(cost === undefined || cost >= 0).toBe(true);
    });

    it("pushes a failure with the provider's reason", async () => {
      const providerJobId = await started("failure");
      await subject.finish(providerJobId, "failure");
      const pushed = () =>
        updates.find(
          (update) => update.providerJobId === providerJobId && terminal.has(update.state),
        );
      await passTimeUntil(() => pushed() !== undefined, "the pushed failure");
      expect(pushed()).toMatchObject({ providerJobId, state: "failed" });
      expect(pushed()?.error?.trim()).toBeTruthy();
    });

    it("reconciles: nothing for a job that did not change, the outcome of one that ended", async () => {
      const providerJobId = await started("success");
      const reference = { providerJobId, state: "queued" as const };
      const unchanged = await provider.reconcile([reference]);
      expect(unchanged.filter((update) => update.state !== "queued")).toEqual([]);
      await finished(providerJobId, "success");
      const changed = await provider.reconcile([reference]);
      expect(changed).toEqual([
        expect.objectContaining({
          providerJobId,
          state: "succeeded",
          resultUrl: expect.any(String),
        }),
      ]);
      expect(await provider.reconcile([])).toEqual([]);
    });

    it("reads a job it never issued as failed, not as an error", async () => {
      await provider.start(listener);
      const status = await provider.getStatus(subject.unknownProviderJobId);
      expect(status).toMatchObject({
        providerJobId: subject.unknownProviderJobId,
        state: "failed",
      });
    });

    it("finds nothing for a job that was never sent, and cancels a pending job without error", async () => {
      const providerJobId = await started("success");
      expect(
        await provider.findSubmitted(input("success"), new Set([providerJobId])),
      ).toBeUndefined();
      await expect(provider.cancel(providerJobId)).resolves.toBeUndefined();
    });

    it("estimates a cost as nothing or a non-negative amount with a currency", () => {
      const request = generationRequestSchema.parse({ mode: "text", prompt: "a cost" });
      const estimate = provider.estimateCost(request, provider.catalog.text.standard);
      if (estimate !== undefined) {
        expect(estimate.amount).toBeGreaterThanOrEqual(0);
        expect(estimate.currency).toMatch(/^[A-Z]{3}$/);
      }
    });
  });
}
