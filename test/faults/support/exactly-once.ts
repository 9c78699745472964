import { expect } from "vitest";
import type { JobState } from "../../../src/jobs/job.ts";
import type { FakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import type { ServiceUnderTest } from "../../support/service-harness.ts";
import { waitUntil } from "../../support/wait-until.ts";

export const isCreate = (request: { method: string; pathname: string }) =>
  request.method === "POST" && request.pathname === "/api/ai/queue";
export const isDownload = (request: { method: string; pathname: string }) =>
  request.method === "GET" && request.pathname.endsWith(".mp4");
export const isList = (request: { method: string; pathname: string }) =>
  request.method === "GET" && request.pathname === "/api/ai/queue";

/**
 * The guarantees every fault keeps: the job reached `state` (not lost), it was enqueued once,
 * delivered at most once (exactly once when delivered), and its card says where it ended.
 */
export async function expectOutcome(
  fake: FakeOxenServer,
  bot: ServiceUnderTest,
  jobId: string,
  state: JobState,
  { creates = 1 }: { creates?: number } = {},
): Promise<void> {
  const job = await bot.service.getJob(jobId);
  expect(job?.state).toBe(state);
  expect(bot.adapter.deliveriesOf(jobId)).toHaveLength(state === "delivered" ? 1 : 0);
  expect(fake.requests.filter(isCreate)).toHaveLength(creates);
  await waitUntil(() => bot.adapter.cards.get(jobId)?.last.state === state, {
    message: `the card to show ${state}`,
  });
}
