import { expect } from "vitest";
import type { SlackBot } from "../../adapters/slack/slack-harness.ts";

/** No provider request and no job: the refusal happened before anything was stored or sent. */
export async function expectNothingMade(bot: SlackBot): Promise<void> {
  expect(bot.provider.submits).toEqual([]);
  expect(await bot.store.listByUser("slack", bot.alice.id, 10)).toEqual([]);
}
