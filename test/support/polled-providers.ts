import { createSilentLogger } from "../../src/logger.ts";
import { createBytePlusProvider } from "../../src/providers/byteplus/index.ts";
import { createFalProvider } from "../../src/providers/fal/index.ts";
import type { PolledProvider } from "../../src/providers/unified-task/polled-provider-shell.ts";
import type { PollTiming } from "../../src/providers/unified-task/unified-task-poll-timing.ts";
import { type FakeBytePlusServer, startFakeBytePlusServer } from "../fakes/fake-byteplus-server.ts";
import { type FakeFalServer, startFakeFalServer } from "../fakes/fake-fal-server.ts";

export type PolledProviderName = "fal" | "byteplus";

/**
 * Reads every few milliseconds instead of Seedance's minutes-long cadence, so a bot on real timers
 * (discord.js, Bolt) sees the fake's changes without any real wait worth the name.
 */
export const quickPolling: Partial<PollTiming> = {
  interval: () => 20,
  minIntervalMs: 20,
  errorInitialMs: 20,
  errorMaxMs: 200,
};

/** One of the fal / BytePlus fakes, what a test does to its jobs, and a fresh provider per boot. */
export interface PolledProviderWithFake {
  name: PolledProviderName;
  fake: FakeFalServer | FakeBytePlusServer;
  /** A new provider instance against the fake: one per (re)started bot. */
  provider(): PolledProvider;
  /** Ids of the jobs at the fake, oldest first. */
  jobIds(): string[];
  /** How many creates reached the fake. */
  creates(): number;
  complete(id: string): Promise<void>;
  close(): Promise<void>;
}

export async function polledProviderWithFake(
  name: PolledProviderName,
): Promise<PolledProviderWithFake> {
  const logger = createSilentLogger();
  if (name === "fal") {
    const fake = await startFakeFalServer();
    return {
      name,
      fake,
      provider: () =>
        createFalProvider({
          apiKey: fake.apiKey,
          queueUrl: fake.baseUrl,
          logger,
          trustedHosts: [fake.cdnBaseUrl],
          pollTiming: quickPolling,
          random: () => 0.5,
        }),
      jobIds: () => [...fake.jobs.keys()],
      creates: () => fake.submits().length,
      complete: (id) => fake.complete(id),
      close: () => fake.close(),
    };
  }
  const fake = await startFakeBytePlusServer();
  return {
    name,
    fake,
    provider: () =>
      createBytePlusProvider({
        apiKey: fake.apiKey,
        baseUrl: fake.baseUrl,
        logger,
        trustedHosts: [fake.cdnBaseUrl],
        pollTiming: quickPolling,
        random: () => 0.5,
      }),
    jobIds: () => [...fake.tasks.keys()],
    creates: () => fake.creates().length,
    complete: (id) => fake.complete(id),
    close: () => fake.close(),
  };
}
