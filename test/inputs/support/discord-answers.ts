import { expect } from "vitest";
import {
  type Bot,
  channelPosts,
  ephemeralTexts,
  jsonOf,
} from "../../adapters/discord/discord-harness.ts";
import type { RecordedCall } from "../../fakes/fake-discord.ts";
import { waitUntil } from "../../support/wait-until.ts";

function callsOf(bot: Bot, interactionId: string): RecordedCall[] {
  return bot.fake.calls.filter((call) => call.path.includes(interactionId));
}

/** The private (ephemeral) answer to one interaction, checked to ping nobody. */
export async function privateAnswer(bot: Bot, interactionId: string): Promise<string> {
  await waitUntil(() => ephemeralTexts(callsOf(bot, interactionId)).length > 0, {
    message: `the private answer to ${interactionId}`,
  });
  const reply = callsOf(bot, interactionId).find((call) => ephemeralTexts([call]).length > 0);
  const body = jsonOf(reply as RecordedCall);
  const data = (reply?.path.endsWith("/callback") ? body.data : body) as Record<string, unknown>;
  expect(data.allowed_mentions).toMatchObject({ parse: [] });
  return ephemeralTexts(callsOf(bot, interactionId)).join("\n");
}

/** The bot's public reply to a message, checked to ping nobody. */
export async function replyTo(bot: Bot, messageId: string): Promise<string> {
  const isReply = (call: RecordedCall) =>
    (jsonOf(call).message_reference as { message_id?: string } | undefined)?.message_id ===
    messageId;
  await waitUntil(() => channelPosts(bot.fake).some(isReply), {
    message: `the reply to ${messageId}`,
  });
  const reply = channelPosts(bot.fake).find(isReply) as RecordedCall;
  expect(jsonOf(reply).allowed_mentions).toEqual({ parse: [], replied_user: false });
  expect(jsonOf(reply).embeds ?? []).toEqual([]);
  return String(jsonOf(reply).content);
}

/** No provider request and no job: the refusal happened before anything was stored or sent. */
export async function expectNothingMade(bot: Bot): Promise<void> {
  expect(bot.provider.submits).toEqual([]);
  expect(await bot.store.listByUser("discord", bot.alice.id, 10)).toEqual([]);
}

/** An attachment served by the fake; `size` overrides what its metadata claims. */
export function attachmentOf(bot: Bot, name: string, bytes: Buffer, type?: string, size?: number) {
  const made = bot.fake.attachment(name, bytes, type);
  return size === undefined ? made : { ...made, size };
}
