import type { types } from "@slack/bolt";
import { isPending, type Job, offersUpscale } from "../../src/jobs/job.ts";

/** What a card button does; its `action_id` and `value` are `action:jobId`, so it survives restarts. */
export const jobActions = [
  "regenerate",
  "remix",
  "cancel",
  "deliver",
  "extend",
  "stitch",
  "upscale",
] as const;
export type JobAction = (typeof jobActions)[number];

export const jobActionPattern = /^(?:regenerate|remix|cancel|deliver|extend|stitch|upscale):/;

export function actionId(action: JobAction, jobId: string): string {
  return `${action}:${jobId}`;
}

export function parseActionId(value: string): { action: JobAction; jobId: string } | undefined {
  const separator = value.indexOf(":");
  const action = jobActions.find((candidate) => candidate === value.slice(0, separator));
  const jobId = value.slice(separator + 1);
  return action && /^[A-Za-z0-9_-]+$/.test(jobId) ? { action, jobId } : undefined;
}

function button(
  action: JobAction,
  jobId: string,
  label: string,
  style?: "primary" | "danger",
): types.Button {
  return {
    type: "button",
    action_id: actionId(action, jobId),
    value: actionId(action, jobId),
    text: { type: "plain_text", text: label, emoji: true },
    ...(style ? { style } : {}),
  };
}

/**
 * Cancel while pending; Regenerate and Remix once there is a video (or another try to make); Post
 * again when the video was made but could not be posted.
 */
export function jobButtons(job: Job): types.ActionsBlock | undefined {
  const elements = isPending(job)
    ? [button("cancel", job.id, "❌ Cancel", "danger")]
    : job.state === "delivered"
      ? job.stitchOf
        ? []
        : [
            button("regenerate", job.id, "🔁 Regenerate", "primary"),
            button("remix", job.id, "✏️ Remix"),
            button("extend", job.id, "⏩ Extend"),
            ...(job.extendsJobId ? [button("stitch", job.id, "🧵 Stitch")] : []),
            ...(offersUpscale(job)
              ? [button("upscale", job.id, `🔍 Upscale to ${job.upscaleTo}`)]
              : []),
          ]
      : job.state === "failed" || job.state === "cancelled"
        ? [
            button("regenerate", job.id, "🔁 Try again", "primary"),
            button("remix", job.id, "✏️ Remix"),
          ]
        : job.state === "delivery_failed"
          ? [
              button("deliver", job.id, "📤 Post again", "primary"),
              button("regenerate", job.id, "🔁 Regenerate"),
            ]
          : [];
  return elements.length > 0 ? { type: "actions", block_id: "job_actions", elements } : undefined;
}

/** The footer line every bot message about a job carries; the job is read back from it. */
export function jobFooter(jobId: string): string {
  return `Job \`${jobId}\` · react :repeat: to regenerate`;
}

const footerPattern = /\bJob `([A-Za-z0-9_-]+)`/;

/** The job a bot message belongs to: from its buttons, else from its footer or text. */
export function jobIdInMessage(message: {
  text?: string | undefined;
  blocks?:
    | ReadonlyArray<{ type: string; elements?: ReadonlyArray<Record<string, unknown>> | undefined }>
    | undefined;
}): string | undefined {
  const texts: string[] = [];
  for (const block of message.blocks ?? []) {
    for (const element of block.elements ?? []) {
      const id = element.action_id;
      const parsed = typeof id === "string" ? parseActionId(id) : undefined;
      if (parsed) return parsed.jobId;
      if (typeof element.text === "string") texts.push(element.text);
    }
  }
  texts.push(message.text ?? "");
  for (const text of texts) {
    const match = footerPattern.exec(text);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
