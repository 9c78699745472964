import { startHub } from "./hub-client.ts";
import { now, pause } from "./statistics.ts";

export interface PollingSettings {
  jobs: number;
  /** How long each generation takes at the provider, and how often the poller asks (ms, real scale). */
  generationMs: number;
  pollIntervalMs: number;
  /** Time compression: 60 runs a 10-minute generation in 10 s, polling every 5 s / 60. */
  speedUp: number;
}

/**
 * The way the provider's documentation waits for a result: enqueue, then `GET /api/ai/queue/{id}`
 * every 5 s until it is done, then download. Run against its own fake hub, time-compressed so that
 * a 10-minute generation fits the benchmark; the request count per job does not depend on the scale.
 */
export async function runPollingBaseline(settings: PollingSettings) {
  const hub = await startHub();
  const headers = { authorization: `Bearer ${hub.apiKey}`, "content-type": "application/json" };
  const generationMs = settings.generationMs / settings.speedUp;
  const pollMs = settings.pollIntervalMs / settings.speedUp;
  const started = now();
  try {
    const waitForOne = async (index: number) => {
      const enqueued = await fetch(`${hub.baseUrl}/api/ai/queue`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          model: "bytedance-seedance-2-0-text-to-video",
          prompt: `poll-${index} a paper boat`,
        }),
      }).then(
        (response) => response.json() as Promise<{ generations: Array<{ generation_id: string }> }>,
      );
      const id = enqueued.generations[0]?.generation_id ?? "";
      const doneAt = now() + generationMs;
      setTimeout(() => void hub.call("completeSpread", [id], 0), generationMs).unref();
      // Bounded: never more polls than a generation twice as long would need.
      for (let poll = 0; poll < (2 * generationMs) / pollMs + 2; poll++) {
        await pause(pollMs);
        const row = await fetch(`${hub.baseUrl}/api/ai/queue/${id}`, { headers }).then(
          (response) => response.json() as Promise<{ status: string; result_url: string | null }>,
        );
        if (row.status === "succeeded" && row.result_url) {
          await fetch(row.result_url, { headers }).then((response) => response.arrayBuffer());
          return now() - doneAt;
        }
      }
      throw new Error(`poll-${index} never finished`);
    };
    const lateness = await Promise.all(
      Array.from({ length: settings.jobs }, (_, index) => waitForOne(index)),
    );
    const counts = await hub.call("count");
    return {
      requestsPerJob: counts.total / settings.jobs,
      counts,
      /** How long after the video was ready the poller noticed it, real scale (ms). */
      meanNoticeDelayMs:
        (lateness.reduce((sum, value) => sum + value, 0) / settings.jobs) * settings.speedUp,
      elapsedMs: now() - started,
    };
  } finally {
    await hub.close();
  }
}
