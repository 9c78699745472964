import { describe, expect, it } from "vitest";
import { renderStatusCard as discordCard } from "../../adapters/discord/status-card.ts";
import { renderStatusCard as slackCard } from "../../adapters/slack/status-card.ts";
import { readyLine, statusTitle, takeLabel } from "../../src/chat/job-summary.ts";
import type { Job } from "../../src/jobs/job.ts";
import { newJob } from "../contracts/new-job.ts";

function job(overrides: Partial<Job> = {}): Job {
  return { ...newJob(), state: "running", version: 2, updatedAt: 1_000, attempts: 0, ...overrides };
}

describe("takes say which they are on every platform", () => {
  it("labels the cards and the result of take 2 of 3, and nothing for a single video", () => {
    const second = job({ take: { index: 2, count: 3 } });
    expect(takeLabel(second)).toBe("Take 2 of 3");
    expect(statusTitle(second)).toBe("🎬 Generating · Take 2 of 3");
    expect(discordCard(second, 2_000).embeds[0]?.title).toBe("🎬 Generating · Take 2 of 3");
    expect(JSON.stringify(slackCard(second, 2_000))).toContain("Take 2 of 3");
    expect(readyLine(second)).toBe("your video is ready (Take 2 of 3)");
    expect(readyLine({ ...second, provider: "simulator" })).toBe(
      "your video is ready (Take 2 of 3; simulated: no real model was used)",
    );

    const single = job();
    expect(takeLabel(single)).toBeUndefined();
    expect(JSON.stringify(discordCard(single, 2_000))).not.toContain("Take");
    expect(JSON.stringify(slackCard(single, 2_000))).not.toContain("Take");
    expect(takeLabel(job({ take: { index: 1, count: 1 } }))).toBeUndefined();
  });
});
