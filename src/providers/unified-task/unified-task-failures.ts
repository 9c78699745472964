import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import type { UnifiedTask } from "./unified-task-schemas.ts";

/**
 * The task-level `error.code`s EvoLink documents (AIHubMax mirrors them), in words a user can act
 * on. `{label}` becomes the provider's name.
 */
const taskFailureWords: Readonly<Record<string, string>> = {
  content_policy_violation:
    "{label}'s content filter blocked this video; change the prompt or the pictures and try again.",
  invalid_parameters: "{label} refused the request's settings; check the options and try again.",
  image_dimension_mismatch:
    "{label} cannot use the pictures' dimensions: each side must be 300–6000 px, the aspect ratio between 0.4 and 2.5.",
  image_processing_error:
    "{label} could not read one of the pictures; try a JPEG or PNG of normal size.",
  request_cancelled: "The task was cancelled at {label}.",
  resource_not_found: "{label} could not download one of the files; links must be public.",
  generation_timeout: "{label} ran out of time making the video; press 🔁 to try again.",
  quota_exceeded:
    "The bot's {label} account has run out of quota; tell the bot's operator to top it up.",
  resource_exhausted: "{label} is overloaded right now; press 🔁 to try again in a few minutes.",
  generation_failed_no_content:
    "{label} finished without producing a video; press 🔁 to try again.",
  service_error: "{label} hit an internal error; press 🔁 to try again.",
  service_unavailable: "{label} is unavailable right now; press 🔁 to try again in a few minutes.",
  unknown_error: "{label} could not make the video; press 🔁 to try again.",
};

const maxReasonLength = 300;

/** Why a task failed, for the status card: plain words first, then the provider's code and text. */
export function describeTaskFailure(
  dialect: UnifiedTaskDialect,
  error: UnifiedTask["error"],
): string {
  const code = typeof error?.code === "string" ? error.code.trim() : undefined;
  const said = error?.message?.trim();
  const words = code ? taskFailureWords[code] : undefined;
  const reason = (words ?? "{label} could not make the video.").replaceAll(
    "{label}",
    dialect.label,
  );
  const detail = [
    code,
    said && said.length > maxReasonLength ? `${said.slice(0, maxReasonLength)}…` : said,
  ]
    .filter((part) => part)
    .join(": ");
  return detail ? `${reason} (${detail})` : reason;
}
