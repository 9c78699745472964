import type { APIEmbed } from "discord.js";
import { describe, expect, it } from "vitest";
import { linkContent, resultHeading } from "../../adapters/discord/delivery.ts";
import { promptForm } from "../../adapters/discord/forms.ts";
import { listJobs } from "../../adapters/discord/jobs-list.ts";
import { fitContent } from "../../adapters/discord/message-limits.ts";
import { renderStatusCard } from "../../adapters/discord/status-card.ts";
import { commands, routeMessage } from "../../commands/index.ts";
import { remixText } from "../../commands/remix.ts";
import { joinRemixFields } from "../../commands/remix-fields.ts";
import { usageText } from "../../src/chat/usage-summary.ts";
import { UserFacingError } from "../../src/errors.ts";
import { type Job, jobStates } from "../../src/jobs/job.ts";
import { characterCount, worstCaseText } from "../support/worst-case-text.ts";
import { newJob } from "./new-job.ts";

// Discord's published limits (developer docs: message, embed, component and modal objects).
const limits = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonLabel: 80,
  modalTitle: 45,
  inputLabel: 45,
  inputPlaceholder: 100,
  inputValue: 4000,
  modalComponents: 5,
  labelDescription: 100,
};

const file = (kind: string, index: number) => ({
  url: `https://cdn.discordapp.com/attachments/1/2/${kind}${index}`,
  fileName: `${worstCaseText}.${kind}`,
});

/** A job whose every user-written part is the worst case: prompt, file names, the reason it failed. */
function worstJob(state: Job["state"], overrides: Partial<Job> = {}): Job {
  const base = newJob({
    id: "worst123",
    request: {
      ...newJob().request,
      mode: "reference",
      prompt: worstCaseText,
      startImage: file("png", 0),
      endImage: file("png", 9),
      referenceImages: [1, 2, 3, 4].map((index) => file("png", index)),
      referenceVideos: [1, 2].map((index) => file("mp4", index)),
      referenceAudios: [file("mp3", 1)],
      seed: 2_147_483_647,
      generateAudio: true,
    },
    error: worstCaseText,
    statusMessageId: "123456789012345678",
    progress: 42,
    queuePosition: 3,
    completedAt: 90_000,
    cost: 1.25,
  });
  return { ...base, state, version: 1, updatedAt: 1, attempts: 0, ...overrides } as Job;
}

function expectEmbedWithinLimits(embeds: readonly APIEmbed[]): void {
  expect(embeds.length).toBeLessThanOrEqual(limits.embeds);
  let total = 0;
  for (const embed of embeds) {
    const title = characterCount(embed.title ?? "");
    const description = characterCount(embed.description ?? "");
    const footer = characterCount(embed.footer?.text ?? "");
    expect(title).toBeLessThanOrEqual(limits.embedTitle);
    expect(description).toBeLessThanOrEqual(limits.embedDescription);
    expect(footer).toBeLessThanOrEqual(limits.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(limits.embedFields);
    total += title + description + footer;
    for (const field of embed.fields ?? []) {
      expect(characterCount(field.name)).toBeLessThanOrEqual(limits.fieldName);
      expect(characterCount(field.value)).toBeLessThanOrEqual(limits.fieldValue);
      expect(field.value.length).toBeGreaterThan(0);
      total += characterCount(field.name) + characterCount(field.value);
    }
  }
  expect(total).toBeLessThanOrEqual(limits.embedTotal);
}

function expectContent(text: string): void {
  expect(characterCount(text)).toBeLessThanOrEqual(limits.content);
  expect(text.length).toBeGreaterThan(0);
}

/** Every refusal a user can cause with the worst-case text, as the bot would send it. */
function refusals(): string[] {
  const found: string[] = [];
  const attempt = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof UserFacingError) found.push(error.message);
      else throw error;
    }
  };
  const variants = [
    `${worstCaseText}x`,
    `${worstCaseText} --ar ${worstCaseText}`,
    `fox --${worstCaseText.replaceAll(" ", "")}`,
    `${"@Image7 @Video9 ".repeat(300)}`,
    `fox --seed ${"9".repeat(4000)}`,
  ];
  for (const command of commands) {
    for (const text of variants) {
      const raw = Object.fromEntries(command.options.keyof().options.map((name) => [name, text]));
      attempt(() => command.run(raw));
      attempt(() => command.run({ prompt: text }));
    }
  }
  for (const text of variants) {
    attempt(() => routeMessage({ text, attachments: [file("png", 1), file("mp4", 2)] }));
  }
  return found;
}

describe("Discord limits: every message built from user text (issue 11)", () => {
  it.each(jobStates)("the status card of a %s job", (state) => {
    const card = renderStatusCard(worstJob(state), 100_000);
    expectEmbedWithinLimits(card.embeds);
    for (const row of card.components) {
      for (const button of row.components) {
        expect(characterCount("label" in button ? (button.label ?? "") : "")).toBeLessThanOrEqual(
          limits.buttonLabel,
        );
      }
    }
  });

  it("refusals and errors quote a bounded excerpt: within 2,000 characters before any cut", () => {
    const messages = refusals();
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) {
      expect(characterCount(message)).toBeLessThanOrEqual(limits.content);
      expectContent(fitContent(message));
    }
    expectContent(fitContent(worstCaseText + worstCaseText));
  });

  it("the /jobs list of ten worst-case jobs, waiting ones with their position", () => {
    const jobs = jobStates.map((state, index) => worstJob(state, { id: `worst${index}` }));
    const text = listJobs(jobs);
    expectContent(text);
    expect(text).toContain("waiting (#3 in your queue)");
  });

  it("the delivery: the uploaded video's heading and the link fallback", () => {
    const job = worstJob("delivering");
    expectContent(resultHeading(job));
    expectContent(linkContent(job, `https://bot.example/v/${"x".repeat(1500)}`, worstCaseText));
  });

  it("the Remix and Animate forms, filled with the worst case: every box fits, nothing is cut", () => {
    const text = remixText(worstJob("delivered").request);
    expect(characterCount(text)).toBeGreaterThan(limits.inputValue);
    const form = promptForm({
      customId: "remix:worst123",
      title: worstCaseText,
      label: worstCaseText,
      placeholder: worstCaseText,
      value: text,
    });
    expect(characterCount(form.title)).toBeLessThanOrEqual(limits.modalTitle);
    const boxes = form.components as unknown as Array<{
      label: string;
      description?: string;
      component: { value?: string; placeholder?: string; max_length: number };
    }>;
    expect(boxes.length).toBeGreaterThan(1);
    expect(boxes.length).toBeLessThanOrEqual(limits.modalComponents);
    for (const box of boxes) {
      expect(characterCount(box.label)).toBeLessThanOrEqual(limits.inputLabel);
      expect(characterCount(box.description ?? "")).toBeLessThanOrEqual(limits.labelDescription);
      expect(characterCount(box.component.placeholder ?? "")).toBeLessThanOrEqual(
        limits.inputPlaceholder,
      );
      expect(characterCount(box.component.value ?? "")).toBeLessThanOrEqual(limits.inputValue);
      expect(box.component.max_length).toBeLessThanOrEqual(limits.inputValue);
    }
    expect(joinRemixFields(boxes.map((box) => box.component.value ?? ""))).toBe(text);
  });

  it("the usage answer (it quotes no user text; checked at its longest)", () => {
    const lines = ["You", "This server", "Spend"].map((label) => ({
      label,
      value: "9".repeat(200),
    }));
    expectContent(usageText({ title: "Usage today", lines }, (text) => `**${text}**`));
  });
});
