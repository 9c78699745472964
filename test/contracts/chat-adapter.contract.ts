import { afterEach, describe, expect, it } from "vitest";
import type { GenerationProvider } from "../../src/providers/generation-provider.ts";
import { waitUntil } from "../support/wait-until.ts";

/** A status card as the user reads it: the phases it showed, in order, and its error if any. */
export interface SeenCard {
  jobId: string;
  /** "queued" | "running" | "done" | "failed" | "cancelled" (each platform maps its own wording). */
  phases: string[];
  error?: string;
}

export interface SeenVideo {
  jobId: string;
  bytes: Buffer;
}

/** Everything the user can see in one thread. */
export interface ThreadView {
  cards: SeenCard[];
  videos: SeenVideo[];
  errors: string[];
}

/** One platform driven through its own transport (fake server or real HTTP), as a user would. */
export interface ChatAdapterHarness {
  /** A fresh place to talk (a thread, a channel). */
  newThread(): Promise<string>;
  /** Asks for a text-to-video the platform's usual way; `prompt` may carry flags (`--dur 4`). */
  requestVideo(threadId: string, prompt: string): Promise<void>;
  /** 🔁 or ❌ on the job's card or result. */
  react(threadId: string, jobId: string, action: "regenerate" | "cancel"): Promise<void>;
  view(threadId: string): Promise<ThreadView>;
  /** Jobs that reached the provider. */
  providerSubmissions(): number;
  /** The bytes the provider's finished video has. */
  expectedVideoBytes: Buffer;
  close(): Promise<void>;
}

export interface ChatAdapterContractDescriptor {
  name: string;
  /** A started bot (service, provider, adapter) with its provider taking `providerDelayMs` per job. */
  setup(options: { providerDelayMs: number }): Promise<ChatAdapterHarness>;
}

/** Wraps a provider to count the jobs sent to it (a hand-written double, not a mock). */
export function countSubmissions(provider: GenerationProvider): {
  provider: GenerationProvider;
  count(): number;
} {
  let submissions = 0;
  return {
    provider: {
      ...provider,
      submit: (input) => {
        submissions += 1;
        return provider.submit(input);
      },
    },
    count: () => submissions,
  };
}

const finished = new Set(["done", "failed", "cancelled"]);

/**
 * What every chat adapter must do for its users, whatever the platform: show a status that moves,
 * deliver the right bytes once in the right thread, regenerate, cancel, and explain a bad request.
 */
export function chatAdapterContract(descriptor: ChatAdapterContractDescriptor): void {
  describe(`chat adapter contract (${descriptor.name})`, () => {
    let harness: ChatAdapterHarness | undefined;

    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    async function start(providerDelayMs: number): Promise<ChatAdapterHarness> {
      harness = await descriptor.setup({ providerDelayMs });
      return harness;
    }

    async function waitForView(
      bot: ChatAdapterHarness,
      threadId: string,
      condition: (view: ThreadView) => boolean,
      message: string,
    ): Promise<ThreadView> {
      let last: ThreadView | undefined;
      await waitUntil(
        async () => {
          last = await bot.view(threadId);
          return condition(last);
        },
        { message },
      );
      return last as ThreadView;
    }

    it("shows the status moving, then delivers the video exactly once in the asking thread", async () => {
      const bot = await start(80);
      const thread = await bot.newThread();
      const elsewhere = await bot.newThread();
      await bot.requestVideo(thread, "a paper boat --dur 4");
      await waitForView(
        bot,
        thread,
        (view) => view.cards[0]?.phases.at(-1) === "done" && view.videos.length > 0,
        "the card to reach done with its video",
      );
      const view = await bot.view(thread);
      expect(view.cards).toHaveLength(1);
      expect(["queued", "running"]).toContain(view.cards[0]?.phases[0]);
      expect(view.cards[0]?.phases).toContain("running");
      expect(view.videos).toHaveLength(1);
      expect(view.videos[0]?.jobId).toBe(view.cards[0]?.jobId);
      expect(view.videos[0]?.bytes.equals(bot.expectedVideoBytes)).toBe(true);
      expect(view.errors).toEqual([]);
      expect(await bot.view(elsewhere)).toEqual({ cards: [], videos: [], errors: [] });
      expect(bot.providerSubmissions()).toBe(1);
    });

    it("🔁 makes a second, separate result in the same thread", async () => {
      const bot = await start(60);
      const thread = await bot.newThread();
      await bot.requestVideo(thread, "a paper boat --dur 4");
      const first = await waitForView(
        bot,
        thread,
        (view) => view.videos.length === 1,
        "the first video",
      );
      const firstJob = first.videos[0]?.jobId ?? "";
      await bot.react(thread, firstJob, "regenerate");
      const second = await waitForView(
        bot,
        thread,
        (view) =>
          view.videos.length === 2 && view.cards.every((card) => card.phases.at(-1) === "done"),
        "the second video",
      );
      const jobIds = second.videos.map((video) => video.jobId);
      expect(new Set(jobIds).size).toBe(2);
      expect(second.cards).toHaveLength(2);
      expect(bot.providerSubmissions()).toBe(2);
    });

    it("❌ cancels a pending job: the card says cancelled and no video comes", async () => {
      const bot = await start(60_000);
      const thread = await bot.newThread();
      await bot.requestVideo(thread, "a slow paper boat --dur 4");
      const pending = await waitForView(
        bot,
        thread,
        (view) => view.cards.length === 1 && !finished.has(view.cards[0]?.phases.at(-1) ?? ""),
        "a pending card",
      );
      await bot.react(thread, pending.cards[0]?.jobId ?? "", "cancel");
      const view = await waitForView(
        bot,
        thread,
        (seen) => seen.cards[0]?.phases.at(-1) === "cancelled",
        "the card to say cancelled",
      );
      expect(view.videos).toEqual([]);
      expect(view.cards).toHaveLength(1);
    });

    it("explains an invalid request in the thread and sends nothing to the provider", async () => {
      const bot = await start(60);
      const thread = await bot.newThread();
      await bot.requestVideo(thread, "a paper boat --dur 99");
      const view = await waitForView(bot, thread, (seen) => seen.errors.length > 0, "an error");
      expect(view.errors[0]).toMatch(/--dur 99/);
      expect(view.errors[0]).toMatch(/4.15/);
      expect(view.cards).toEqual([]);
      expect(view.videos).toEqual([]);
      expect(bot.providerSubmissions()).toBe(0);
    });
  });
}
