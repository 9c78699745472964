import { animateCommand } from "./animate.ts";
import { animateMessage, type MessageAction } from "./animate-message.ts";
import { cancelCommand } from "./cancel.ts";
import type { Command } from "./define-command.ts";
import { jobsCommand } from "./jobs.ts";
import { referenceCommand } from "./reference.ts";
import { settingsCommand } from "./settings.ts";
import { usageCommand } from "./usage.ts";
import { videoCommand } from "./video.ts";

export type { MessageAction } from "./animate-message.ts";
export { animateMessage } from "./animate-message.ts";
export type { Command, CommandAction } from "./define-command.ts";
export type { IncomingMedia } from "./incoming-media.ts";
export { formatFlags, parseFlags, validFlagsText } from "./parse-flags.ts";
export type { IncomingMessage } from "./route-message.ts";
export { routeMessage } from "./route-message.ts";
export { type UsageScope, usageScopes } from "./usage.ts";

/** Every slash command, in the order platforms list them. */
export const commands: readonly Command[] = [
  videoCommand,
  animateCommand,
  referenceCommand,
  jobsCommand,
  cancelCommand,
  usageCommand,
  settingsCommand,
];

/** Commands run on an existing message. */
export const messageActions: readonly MessageAction[] = [animateMessage];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name);
}

export function findMessageAction(name: string): MessageAction | undefined {
  return messageActions.find((action) => action.name === name);
}
