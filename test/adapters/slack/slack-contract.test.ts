import { readFile } from "node:fs/promises";
import {
  type ChatAdapterHarness,
  chatAdapterContract,
  type SeenCard,
  type ThreadView,
} from "../../contracts/chat-adapter.contract.ts";
import type { FakeMessage, FakeSlack } from "../../fakes/fake-slack.ts";
import { eventEnvelope, mentionEvent, reactionEvent } from "../../fakes/fake-slack-payloads.ts";
import { sampleVideo, startSlackBot } from "./slack-harness.ts";

/** Card titles → the contract's phases (the emoji and words are shared with Discord's card). */
function phaseOf(title: string): string | undefined {
  if (title.startsWith("⏳")) return "queued";
  if (title.startsWith("🎬") || title.startsWith("📥") || title.startsWith("📤")) return "running";
  if (title.startsWith("✅")) return "done";
  if (title.startsWith("🚫")) return "cancelled";
  if (title.startsWith("⚠️")) return "failed";
  return undefined;
}

type Blocks = FakeMessage["blocks"];

function sectionText(blocks: Blocks, blockId: string): string {
  const block = blocks?.find((candidate) => candidate.block_id === blockId) as
    | { text?: { text?: string } }
    | undefined;
  return block?.text?.text ?? "";
}

const jobIdIn = (text: string) => /Job `([^`]+)`/.exec(text)?.[1];

function inThread(fake: FakeSlack, threadTs: string): FakeMessage[] {
  return fake.messages.filter(
    (message) => message.thread_ts === threadTs && message.user === fake.botUserId,
  );
}

function cardsIn(fake: FakeSlack, threadTs: string): SeenCard[] {
  return inThread(fake, threadTs).flatMap((message) => {
    if (!message.blocks?.some((block) => block.block_id === "job_status")) return [];
    const jobId = jobIdIn(JSON.stringify(message.blocks));
    if (!jobId) return [];
    const phases: string[] = [];
    for (const version of message.versions ?? []) {
      const title = sectionText(version.blocks, "job_status").split("\n")[0]?.replaceAll("*", "");
      const phase = phaseOf(title ?? "");
      if (phase && phases.at(-1) !== phase) phases.push(phase);
    }
    const error = sectionText(message.blocks, "job_error").replace(/^\*Why\*\n/, "");
    return [{ jobId, phases, ...(error ? { error } : {}) }];
  });
}

chatAdapterContract({
  name: "slack",
  async setup({ providerDelayMs }): Promise<ChatAdapterHarness> {
    const bot = await startSlackBot({ delayMs: providerDelayMs });
    const { fake, alice } = bot;
    return {
      // A thread is a message in the channel; requests are mentions in it (slash commands
      // cannot be used in Slack threads).
      newThread: async () => fake.userMessage(alice, "let's make videos").ts,
      async requestVideo(threadTs, prompt) {
        const message = fake.userMessage(alice, `<@${fake.botUserId}> ${prompt}`, { threadTs });
        await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
      },
      async react(threadTs, jobId, action) {
        const mine = inThread(fake, threadTs).filter(
          (message) =>
            message.text.includes(`Job \`${jobId}\``) ||
            JSON.stringify(message.blocks ?? []).includes(jobId),
        );
        const target = mine.find((message) => message.files) ?? mine[0];
        if (!target) throw new Error(`no message of job ${jobId} in thread ${threadTs}`);
        const reaction = action === "regenerate" ? "repeat" : "x";
        await fake.send("event", eventEnvelope(fake, reactionEvent(alice, reaction, target)));
      },
      async view(threadTs): Promise<ThreadView> {
        return {
          cards: cardsIn(fake, threadTs),
          videos: inThread(fake, threadTs)
            .filter((message) => message.files?.length)
            .map((message) => ({
              jobId: jobIdIn(message.text) ?? "",
              bytes: fake.uploadedBytes(message.files?.[0]?.id ?? "") ?? Buffer.alloc(0),
            })),
          errors: fake
            .callsTo("chat.postEphemeral")
            .filter((call) => call.fields.thread_ts === threadTs)
            .map((call) => String(call.fields.text ?? "")),
        };
      },
      providerSubmissions: () => bot.provider.submits.length,
      expectedVideoBytes: await readFile(sampleVideo),
      close: () => bot.stop(),
    };
  },
});
