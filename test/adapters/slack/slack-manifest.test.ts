import { describe, expect, it } from "vitest";
import { buildSlackManifest } from "../../../adapters/slack/index.ts";
import { commands, messageActions } from "../../../commands/index.ts";

describe("Slack app manifest (generated from the command definitions)", () => {
  it("Socket Mode", () => {
    expect(buildSlackManifest(commands, messageActions)).toMatchSnapshot();
  });

  it("HTTP: every request URL is the bot's /slack/events", () => {
    const manifest = buildSlackManifest(commands, messageActions, {
      requestUrl: "https://bot.example.com/",
    });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions).toMatchObject({
      request_url: "https://bot.example.com/slack/events",
    });
    expect(manifest.settings.interactivity.request_url).toBe(
      "https://bot.example.com/slack/events",
    );
    for (const command of manifest.features.slash_commands) {
      expect(command).toMatchObject({ url: "https://bot.example.com/slack/events" });
    }
  });

  it("every command and the shortcut have listeners: names match the definitions", () => {
    const manifest = buildSlackManifest(commands, messageActions);
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(
      commands.map((command) => `/${command.name}`),
    );
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: "Animate with Seedance", callback_id: "animate_message" }),
    ]);
  });
});
