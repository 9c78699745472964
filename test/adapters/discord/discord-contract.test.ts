import { readFile } from "node:fs/promises";
import type { APIMessage } from "discord.js";
import {
  type ChatAdapterHarness,
  chatAdapterContract,
  type SeenCard,
  type ThreadView,
} from "../../contracts/chat-adapter.contract.ts";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { reactionAdd, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { ephemeralTexts, jsonOf, sampleVideo, startBot } from "./discord-harness.ts";

/** Card titles → the contract's phases (a card's emoji and words are Discord-specific). */
function phaseOf(title: string): string | undefined {
  if (title.startsWith("⏳")) return "queued";
  if (title.startsWith("🎬") || title.startsWith("📥") || title.startsWith("📤")) return "running";
  if (title.startsWith("✅")) return "done";
  if (title.startsWith("🚫")) return "cancelled";
  if (title.startsWith("⚠️")) return "failed";
  return undefined;
}

const jobOfFooter = (message: APIMessage) =>
  /^Job (\S+)/.exec(message.embeds[0]?.footer?.text ?? "")?.[1];

function cardsIn(fake: FakeDiscord, threadId: string): SeenCard[] {
  const cards: SeenCard[] = [];
  for (const versions of fake.history.values()) {
    const latest = versions.at(-1);
    const jobId = latest ? jobOfFooter(latest) : undefined;
    if (!latest || latest.channel_id !== threadId || !jobId) continue;
    const phases: string[] = [];
    for (const version of versions) {
      const phase = phaseOf(version.embeds[0]?.title ?? "");
      if (phase && phases.at(-1) !== phase) phases.push(phase);
    }
    const error = latest.embeds[0]?.fields?.find((field) => field.name === "Why")?.value;
    cards.push({ jobId, phases, ...(error ? { error } : {}) });
  }
  return cards;
}

function videosIn(fake: FakeDiscord, threadId: string) {
  return fake
    .callsTo("POST", new RegExp(`^/channels/${threadId}/messages$`))
    .filter((call) => call.status === 200 && call.files[0]?.contentType === "video/mp4")
    .map((call) => {
      const custom = JSON.stringify(jsonOf(call).components ?? []);
      return {
        jobId: /"regenerate:([^"]+)"/.exec(custom)?.[1] ?? "",
        bytes: call.files[0]?.bytes ?? Buffer.alloc(0),
      };
    });
}

function errorsIn(fake: FakeDiscord, threadId: string): string[] {
  const inThread = new Set(
    [...fake.interactions.values()]
      .filter((record) => record.channelId === threadId)
      .map((record) => record.id),
  );
  return ephemeralTexts(
    fake.calls.filter((call) => [...inThread].some((id) => call.path.includes(id))),
  );
}

chatAdapterContract({
  name: "discord",
  async setup({ providerDelayMs }): Promise<ChatAdapterHarness> {
    const bot = await startBot({ delayMs: providerDelayMs });
    const { fake, alice } = bot;
    return {
      newThread: async () => fake.createThread(),
      async requestVideo(threadId, prompt) {
        slashCommand(fake, "video", { prompt }, { user: alice, threadId });
      },
      async react(threadId, jobId, action) {
        const onThread = [...fake.messages.values()].filter(
          (message) => message.channel_id === threadId && message.author.id === fake.botUser.id,
        );
        const target =
          onThread.find((message) =>
            JSON.stringify(message.components).includes(`regenerate:${jobId}`),
          ) ?? onThread.find((message) => jobOfFooter(message) === jobId);
        if (!target) throw new Error(`no message of job ${jobId} in thread ${threadId}`);
        reactionAdd(fake, target, action === "regenerate" ? "🔁" : "❌", alice);
      },
      async view(threadId): Promise<ThreadView> {
        return {
          cards: cardsIn(fake, threadId),
          videos: videosIn(fake, threadId),
          errors: errorsIn(fake, threadId),
        };
      },
      providerSubmissions: () => bot.provider.submits.length,
      expectedVideoBytes: await readFile(sampleVideo),
      close: () => bot.stop(),
    };
  },
});
