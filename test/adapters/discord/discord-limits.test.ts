import { afterEach, describe, expect, it } from "vitest";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { characterCount, worstCaseText } from "../../support/worst-case-text.ts";
import { type Bot, ephemeralTexts, jsonOf, startBot, waitForUploads } from "./discord-harness.ts";

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

describe("the worst-case text through real discord.js (issue 11)", () => {
  it("a refusal quoting a 5,000-character value stays a short private answer", async () => {
    const bot = await startBot();
    bots.push(bot);
    const { fake, alice } = bot;
    const asked = slashCommand(
      fake,
      "video",
      { prompt: `fox --ar ${worstCaseText.replaceAll(" ", "")}` },
      { user: alice },
    );
    const own = () => fake.calls.filter((call) => call.path.includes(`token-${asked.id}`));
    await waitUntil(() => ephemeralTexts(own()).length > 0, { message: "the private refusal" });
    const [answer] = ephemeralTexts(own());
    expect(answer).toMatch(/^--ar .*… is not valid; use one of adaptive, 21:9/);
    expect(characterCount(answer ?? "")).toBeLessThan(300);
    expect(bot.provider.submits).toEqual([]);
  });

  it("a 5,000-character prompt of escapes, mentions and emoji: every card edit fits Discord's embed limits", async () => {
    const bot = await startBot();
    bots.push(bot);
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: worstCaseText }, { user: alice });
    await waitForUploads(fake, 1);
    const edits = fake.calls.filter((call) => Array.isArray(jsonOf(call).embeds));
    expect(edits.length).toBeGreaterThan(0);
    for (const edit of edits) {
      const [embed] = jsonOf(edit).embeds as Array<{
        title: string;
        description: string;
        fields: Array<{ name: string; value: string }>;
        footer: { text: string };
      }>;
      const total =
        characterCount(embed?.title ?? "") +
        characterCount(embed?.description ?? "") +
        characterCount(embed?.footer.text ?? "") +
        (embed?.fields ?? []).reduce(
          (sum, field) => sum + characterCount(field.name) + characterCount(field.value),
          0,
        );
      expect(characterCount(embed?.description ?? "")).toBeLessThanOrEqual(4096);
      expect(total).toBeLessThanOrEqual(6000);
    }
    const upload = fake.callsTo("POST", /^\/channels\/\d+\/messages$/).at(-1);
    expect(
      characterCount(String(jsonOf(upload ?? ({} as never)).content ?? "")),
    ).toBeLessThanOrEqual(2000);
  });
});
