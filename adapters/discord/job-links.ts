import {
  type APIActionRowComponent,
  type APIButtonComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Resolution } from "../../src/domain/generation-request.ts";
import { offersUpscale } from "../../src/jobs/job.ts";

/** What a button or form does; its custom_id is `action:id` and nothing else, so it survives restarts. */
export const componentActions = [
  "regenerate",
  "remix",
  "cancel",
  "deliver",
  "animate",
  "extend",
  "stitch",
  "upscale",
] as const;
export type ComponentAction = (typeof componentActions)[number];

export function customId(action: ComponentAction, id: string): string {
  return `${action}:${id}`;
}

export function parseCustomId(value: string): { action: ComponentAction; id: string } | undefined {
  const separator = value.indexOf(":");
  const action = componentActions.find((candidate) => candidate === value.slice(0, separator));
  const id = value.slice(separator + 1);
  return action && id ? { action, id } : undefined;
}

function button(
  action: ComponentAction,
  jobId: string,
  label: string,
  emoji: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger,
): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id: customId(action, jobId),
    label,
    emoji: { name: emoji },
    style,
  };
}

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

function row(...buttons: APIButtonComponent[]): ButtonRow {
  return { type: ComponentType.ActionRow, components: buttons };
}

/**
 * Regenerate, Remix and Extend on every result; Stitch on a clip that extends another; Upscale on
 * one below its model's highest resolution.
 */
export function resultButtons(job: {
  id: string;
  extendsJobId?: string | undefined;
  stitchOf?: string[] | undefined;
  upscaleTo?: Resolution | undefined;
}): ButtonRow[] {
  if (job.stitchOf) return [];
  return [
    row(
      button("regenerate", job.id, "Regenerate", "🔁", ButtonStyle.Primary),
      button("remix", job.id, "Remix", "✏️", ButtonStyle.Secondary),
      button("extend", job.id, "Extend", "⏩", ButtonStyle.Secondary),
      ...(job.extendsJobId
        ? [button("stitch", job.id, "Stitch", "🧵", ButtonStyle.Secondary)]
        : []),
      ...(offersUpscale(job)
        ? [button("upscale", job.id, `Upscale to ${job.upscaleTo}`, "🔍", ButtonStyle.Secondary)]
        : []),
    ),
  ];
}

export function pendingButtons(jobId: string): ButtonRow[] {
  return [row(button("cancel", jobId, "Cancel", "❌", ButtonStyle.Danger))];
}

/** A video that was made but could not be posted: post it again (free) before making another. */
export function undeliveredButtons(jobId: string): ButtonRow[] {
  return [
    row(
      button("deliver", jobId, "Post again", "📤", ButtonStyle.Primary),
      button("regenerate", jobId, "Regenerate", "🔁", ButtonStyle.Secondary),
    ),
  ];
}

export function retryButtons(jobId: string): ButtonRow[] {
  return [
    row(
      button("regenerate", jobId, "Try again", "🔁", ButtonStyle.Primary),
      button("remix", jobId, "Remix", "✏️", ButtonStyle.Secondary),
    ),
  ];
}

const footerPattern = /\bJob ([\w-]+)/;

export function jobFooter(jobId: string): string {
  return `Job ${jobId} · react 🔁 to regenerate`;
}

/** The job a bot message belongs to, read from its buttons or its card footer. */
export function jobIdFrom(message: {
  customIds: readonly string[];
  footers: readonly string[];
}): string | undefined {
  for (const value of message.customIds) {
    const parsed = parseCustomId(value);
    if (parsed && parsed.action !== "animate") return parsed.id;
  }
  for (const footer of message.footers) {
    const match = footerPattern.exec(footer);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
