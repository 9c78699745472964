import { describeMedia, type IncomingMedia, mediaKindOf } from "../../commands/incoming-media.ts";
import type { Command } from "../../commands/index.ts";
import { type CommandAction, commands, findCommand, routeMessage } from "../../commands/index.ts";
import { describeOptions, typedTextOption } from "../../commands/option-descriptors.ts";
import { UserFacingError } from "../../src/errors.ts";

/** A message typed in the playground, with its uploads, and what it answers (Remix). */
export interface PlaygroundMessage {
  text: string;
  attachments: readonly IncomingMedia[];
  replied?: { prompt: string; attachments: readonly IncomingMedia[] };
}

/**
 * Slash commands fill the command's options the way a chat client would: the text after the
 * name goes to its text option (`typedTextOption`), files to its file options of the same kind
 * in order. A file no option takes is refused by name rather than silently dropped.
 */
export function commandOptions(
  command: Command,
  text: string,
  attachments: readonly IncomingMedia[],
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const options = describeOptions(command.options);
  const textOption = typedTextOption(command.options);
  if (textOption && text) raw[textOption.name] = text;
  const waiting = [...attachments];
  for (const option of options) {
    if (option.type !== "attachment") continue;
    const index = waiting.findIndex((media) => mediaKindOf(media) === option.accepts);
    if (index >= 0) raw[option.name] = waiting.splice(index, 1)[0];
  }
  const [unused] = waiting;
  if (unused) {
    const kind = mediaKindOf(unused) ?? "file";
    throw new UserFacingError(
      `/${command.name} cannot use ${describeMedia(unused)} (${kind}); it takes ${describeAccepted(command)}. Send the files without a command to let the bot choose.`,
      { field: "attachments" },
    );
  }
  return raw;
}

function describeAccepted(command: Command): string {
  const accepted = describeOptions(command.options)
    .filter((option) => option.type === "attachment")
    .map((option) => `${option.name} (${option.accepts})`);
  return accepted.length > 0 ? accepted.join(", ") : "no files";
}

/** What a message asks for: a shared command, or the shared routing for mention-style text. */
export function toAction(message: PlaygroundMessage): CommandAction {
  const text = message.text.trim();
  const slash = /^\/([a-z][a-z-]*)(?:\s+([\s\S]*))?$/i.exec(text);
  if (!slash) {
    return {
      kind: "generate",
      request: routeMessage({
        text,
        attachments: message.attachments,
        ...(message.replied
          ? {
              repliedAttachments: message.replied.attachments,
              fallbackPrompt: message.replied.prompt,
            }
          : {}),
      }),
    };
  }
  const name = (slash[1] ?? "").toLowerCase();
  const command = findCommand(name);
  if (!command) {
    const known = commands.map((candidate) => `/${candidate.name}`).join(", ");
    throw new UserFacingError(`Unknown command /${name}; use one of ${known}.`, {
      field: "command",
    });
  }
  return command.run(commandOptions(command, (slash[2] ?? "").trim(), message.attachments));
}
