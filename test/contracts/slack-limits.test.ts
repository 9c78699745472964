import { describe, expect, it } from "vitest";
import { deliveryHeading, linkMessage } from "../../adapters/slack/delivery-messages.ts";
import { listJobs } from "../../adapters/slack/jobs-list.ts";
import { commandModal, promptModal } from "../../adapters/slack/modals.ts";
import { errorText } from "../../adapters/slack/replies.ts";
import { promptExcerpt, safePrompt } from "../../adapters/slack/slack-text.ts";
import { renderStatusCard } from "../../adapters/slack/status-card.ts";
import { commands } from "../../commands/index.ts";
import { remixText } from "../../commands/remix.ts";
import { joinRemixFields } from "../../commands/remix-fields.ts";
import { usageText } from "../../src/chat/usage-summary.ts";
import { UserFacingError } from "../../src/errors.ts";
import type { Job, JobState } from "../../src/jobs/job.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { blockKitLimits, blockKitViolations, mrkdwnTexts } from "../support/slack-block-limits.ts";
import { worstCaseText } from "../support/worst-case-text.ts";
import { newJob } from "./new-job.ts";

const states: JobState[] = [
  "waiting",
  "submitting",
  "queued",
  "running",
  "succeeded",
  "delivering",
  "delivered",
  "failed",
  "cancelled",
  "delivery_failed",
];

/** A job with the worst case everywhere a user's words can go: prompt, error, name, file names. */
function worstJob(state: JobState, index = 0, worst = worstCaseText): Job {
  const media = (kind: string) => ({
    url: `https://files.slack.com/${kind}.png`,
    fileName: worst,
    contentType: "image/png",
  });
  const base = newJob({
    id: `job-${index}`,
    origin: {
      platform: "slack",
      spaceId: "T0FAKE",
      channelId: "C0FAKE",
      threadId: "1700000000.000100",
      userId: "U0ALICE",
      userName: worst,
    },
    request: {
      ...newJob().request,
      prompt: worst,
      startImage: media("start"),
      endImage: media("end"),
      referenceImages: [media("one"), media("two"), media("three")],
      seed: 42,
      generateAudio: true,
    },
    model: worst,
    error: worst,
    progress: 42,
    queuePosition: 3,
    costEstimate: 1.25,
    submittedAt: 2_000,
  });
  return { ...base, state, version: 1, updatedAt: 2_000, attempts: 0 };
}

/** An entity cut in half ("&am…") or a raw "<" from the user would show as garbage or a link. */
function brokenEscapes(text: string): string[] {
  return [...text.matchAll(/&(?!amp;|lt;|gt;)[^\s]{0,5}/g)].map((match) => match[0]);
}

function expectWithinLimits(payload: object, surface: "message" | "modal") {
  expect(blockKitViolations(payload, surface)).toEqual([]);
  expect(mrkdwnTexts(payload).flatMap(brokenEscapes)).toEqual([]);
}

describe("Slack messages stay within Block Kit's limits after escaping (worst-case user text)", () => {
  it("the worst case grows past the section limit when escaped: cutting before escaping is not enough", () => {
    expect(safePrompt("&".repeat(1500)).length).toBeGreaterThan(blockKitLimits.sectionText);
  });

  for (const state of states) {
    it(`status card, ${state}: every section, field and context within its limit`, () => {
      // Also all "&" (5 characters each once escaped): the 7,500-character card of issue 11.
      for (const text of [worstCaseText, "&".repeat(5000), "<".repeat(5000)]) {
        expectWithinLimits(renderStatusCard(worstJob(state, 0, text), 10_000), "message");
      }
      const card = renderStatusCard(worstJob(state), 10_000);
      expectWithinLimits(card, "message");
      const first = card.blocks[0] as { text: { text: string } };
      // What the user sees: the title, then the start of their prompt, escaped, with no pings.
      expect(first.text.text).toMatch(/^\*.+\*\n>&amp;&lt;&gt;@\u200b\*`_~🎬@\u200beveryone /u);
      expect(JSON.stringify(card)).not.toMatch(/@everyone|<@123>/);
    });
  }

  it("/jobs with ten worst-case jobs", () => {
    const text = listJobs(states.map((state, index) => worstJob(state, index, "&".repeat(5000))));
    expectWithinLimits({ text }, "message");
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain("`job-0`");
  });

  it("the delivery: the upload comment, and the link-only message with its button", () => {
    const job = worstJob("delivering");
    const heading = deliveryHeading(job);
    expect(heading.length).toBeLessThanOrEqual(300);
    expectWithinLimits({ text: `${heading}\nJob \`${job.id}\`` }, "message");
    const message = linkMessage(job, {
      heading,
      link: `https://bot.example.com/videos/${job.id}?expires=1&signature=${"a".repeat(64)}`,
      note: `Slack did not take the 1.2 GB file here (file_too_large), so here is a link instead. ${"It works for 7 days. ".repeat(200)}`,
    });
    expectWithinLimits(message, "message");
  });

  it("error replies quote a bounded, escaped excerpt of what the user typed", () => {
    const text = errorText(
      new UserFacingError(`The prompt "${worstCaseText}" is over 4,000 characters.`),
      createSilentLogger(),
      "submit",
    );
    expectWithinLimits({ text }, "message");
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/^The prompt "&amp;&lt;&gt;/);
    expect(text).not.toMatch(/<[@!#]/);
  });

  it("one-line excerpts (cancel replies, card fallbacks) stay at their length once escaped", () => {
    for (const maximum of [60, 80, 120, 180]) {
      const excerpt = promptExcerpt(worstCaseText, maximum);
      expect(excerpt.length).toBeLessThanOrEqual(maximum);
      expect(brokenEscapes(excerpt)).toEqual([]);
    }
  });

  it("/usage", () => {
    const text = usageText(
      { title: "📊 Your usage today", lines: [{ label: "Seconds of video", value: "24 s" }] },
      (title) => `*${title}*`,
    );
    expectWithinLimits({ text }, "message");
  });

  for (const command of commands) {
    it(`the /${command.name} form, prefilled with the worst case`, () => {
      const initial = Object.fromEntries(
        ["prompt", "text", "job", "scope"].map((name) => [name, worstCaseText]),
      );
      const view = commandModal(command, { channelId: "C0FAKE" }, initial);
      expectWithinLimits(view, "modal");
    });
  }

  it("the Remix and Animate forms, prefilled with the worst case: every box fits, nothing is cut", () => {
    const text = remixText(worstJob("delivered").request);
    const remix = promptModal({
      callbackId: "remix",
      title: "Remix",
      label: "Prompt and settings",
      value: text,
      metadata: { channelId: "C0FAKE", jobId: "job-1" },
    });
    expectWithinLimits(remix, "modal");
    const boxes = (remix.blocks as Array<{ element?: { initial_value?: string } }>).flatMap(
      (block) => (block.element ? [block.element.initial_value ?? ""] : []),
    );
    expect(boxes.length).toBeGreaterThan(1);
    expect(joinRemixFields(boxes)).toBe(text);
    const animate = promptModal({
      callbackId: "animate",
      title: "Animate this message",
      label: "What should happen?",
      placeholder: worstCaseText,
      context: `Start frame: ${safePrompt(worstCaseText)}`,
      metadata: { channelId: "C0FAKE" },
    });
    expectWithinLimits(animate, "modal");
  });
});
