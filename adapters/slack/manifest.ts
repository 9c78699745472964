import type { Command, MessageAction } from "../../commands/index.ts";
import { describeOptions } from "../../commands/option-descriptors.ts";
import { needsForm, shortcutOf, textOption } from "./command-forms.ts";
import { truncate } from "./slack-text.ts";

export interface ManifestOptions {
  /** Shown in Slack as the app and bot name. */
  name?: string;
  /** Where Slack sends HTTP requests, e.g. https://bot.example.com; Socket Mode when absent. */
  requestUrl?: string | undefined;
}

/** Events the bot subscribes to. */
export const botEvents = ["app_mention", "message.im", "reaction_added"] as const;

/** Everything the bot calls, and why. */
export const botScopes = [
  "app_mentions:read", // mentions are requests
  "chat:write", // status cards, answers, links
  "chat:write.public", // cards for slash commands in public channels the bot has not joined
  "commands", // the slash commands and the message shortcut
  "files:read", // private files (url_private) of requests
  "files:write", // uploading finished videos
  "reactions:read", // :repeat: and :x:
  "channels:history", // a thread's parent and the bot's results in it
  "groups:history",
  "im:history",
  "mpim:history",
  "users:read", // the name of someone who regenerates with a reaction
] as const;

function usageHint(command: Command): string | undefined {
  const option = textOption(command);
  if (needsForm(command, "x")) return "(opens a form)";
  if (!option) return undefined;
  const options = describeOptions(command.options);
  const choices = options.find((item) => item.name === option)?.choices;
  if (choices) return `[${choices.map((choice) => choice.value).join(" | ")}]`;
  const takesFlags = options.some((item) => item.name === "aspect_ratio");
  return takesFlags ? `[${option}] --ar 9:16 --dur 8 --res 720p --fast` : `[${option}]`;
}

/** The Slack app manifest for our command definitions; paste it at api.slack.com/apps. */
export function buildSlackManifest(
  commands: readonly Command[],
  messageActions: readonly MessageAction[],
  options: ManifestOptions = {},
) {
  const name = options.name ?? "Seedance";
  const requestUrl = options.requestUrl?.replace(/\/+$/, "");
  const endpoint = requestUrl ? `${requestUrl}/slack/events` : undefined;
  const url = endpoint ? { url: endpoint } : {};
  const requestEndpoint = endpoint ? { request_url: endpoint } : {};
  return {
    display_information: {
      name,
      description: "Turns chat into Seedance 2.0 videos",
      long_description: truncate(
        "Type /video with a prompt, mention the bot with images, or use Animate with Seedance on a message with a picture. Progress shows on a status card in the thread, and the finished video is posted there. React :repeat: to make another take, :x: to cancel.",
        4000,
      ),
      background_color: "#1d1f3a",
    },
    features: {
      // The Messages tab lets people DM the bot; a DM is a request like a mention.
      app_home: {
        home_tab_enabled: false,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: false,
      },
      bot_user: { display_name: name, always_online: true },
      slash_commands: commands.map((command) => {
        const hint = usageHint(command);
        return {
          command: `/${command.name}`,
          description: truncate(command.description, 100),
          ...(hint ? { usage_hint: hint } : {}),
          should_escape: false,
          ...url,
        };
      }),
      shortcuts: messageActions.map((action) => {
        const shortcut = shortcutOf(action);
        return {
          name: shortcut.name,
          type: "message",
          callback_id: shortcut.callbackId,
          description: truncate(action.description, 80),
        };
      }),
    },
    oauth_config: { scopes: { bot: [...botScopes] } },
    settings: {
      event_subscriptions: { ...requestEndpoint, bot_events: [...botEvents] },
      interactivity: { is_enabled: true, ...requestEndpoint },
      org_deploy_enabled: false,
      socket_mode_enabled: endpoint === undefined,
      token_rotation_enabled: false,
    },
  };
}
