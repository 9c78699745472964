import { describe, expect, it } from "vitest";
import { renderStatusCard as discordCard } from "../../adapters/discord/status-card.ts";
import { renderStatusCard as slackCard } from "../../adapters/slack/status-card.ts";
import { readyLine, simulatedNote } from "../../src/chat/job-summary.ts";
import type { Job } from "../../src/jobs/job.ts";
import { newJob } from "../contracts/new-job.ts";

function job(provider: string): Job {
  return { ...newJob({ provider }), state: "running", version: 2, updatedAt: 1_000, attempts: 0 };
}

describe("simulated results say so on every platform", () => {
  it("labels the simulator's cards and results, and nobody else's", () => {
    expect(JSON.stringify(discordCard(job("simulator"), 2_000))).toContain(simulatedNote);
    expect(JSON.stringify(slackCard(job("simulator"), 2_000))).toContain(simulatedNote);
    expect(readyLine(job("simulator"))).toBe(
      "your video is ready (simulated: no real model was used)",
    );
    expect(JSON.stringify(discordCard(job("oxen"), 2_000))).not.toContain(simulatedNote);
    expect(JSON.stringify(slackCard(job("oxen"), 2_000))).not.toContain(simulatedNote);
    expect(readyLine(job("oxen"))).toBe("your video is ready");
  });
});
