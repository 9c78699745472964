import type { UsageSummary } from "../policy/usage-policy.ts";
import type { GenerationServicePort } from "../service/generation-service-port.ts";
import { formatMoney } from "./job-summary.ts";

// Platform-neutral wording of `/usage`; each adapter lays it out its own way.

/** What today's jobs cost: charges the provider recorded, plus estimates for jobs still running. */
export interface Spend {
  charged: number;
  inProgress: number;
}

export interface UsageLine {
  label: string;
  value: string;
}

export interface UsageView {
  title: string;
  lines: UsageLine[];
}

/** Whose usage: the asking user's, or their whole space's (a Discord server, a Slack workspace). */
export interface UsageQuestion {
  platform: string;
  userId: string;
  spaceId?: string | undefined;
  scope: "user" | "space";
  /** What the platform calls a space: "server", "workspace". */
  spaceName: string;
}

/** "5 h 12 min", "3 min". */
export function hoursAndMinutes(milliseconds: number): string {
  const minutes = Math.max(1, Math.ceil(milliseconds / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** "24 s of 60 s (40%), 36 s left", or "24 s (no daily limit)". */
export function describeSeconds(summary: UsageSummary): string {
  if (summary.limit === undefined) return `${summary.seconds} s (no daily limit)`;
  const left = Math.max(0, summary.limit - summary.seconds);
  const share = summary.limit > 0 ? Math.round((summary.seconds / summary.limit) * 100) : 100;
  return `${summary.seconds} s of ${summary.limit} s (${share}%), ${left > 0 ? `${left} s left` : "none left"}`;
}

/** "$1.68", "$1.68, and ~$0.84 for videos in progress", "nothing yet, ~$0.84 for videos in progress". */
export function describeSpend(spend: Spend): string {
  const charged = spend.charged > 0 || spend.inProgress === 0 ? formatMoney(spend.charged) : "";
  const running =
    spend.inProgress > 0 ? `~${formatMoney(spend.inProgress)} for videos in progress` : "";
  if (charged && running) return `${charged}, and ${running}`;
  return charged || `nothing yet, ${running}`;
}

/** The usage of one user or space today, as lines the adapters lay out. */
export function describeUsage(input: {
  title: string;
  summary: UsageSummary;
  spend?: Spend | undefined;
  resetsAt: number;
  now: number;
}): UsageView {
  const lines: UsageLine[] = [
    { label: "Seconds of video", value: describeSeconds(input.summary) },
    { label: "Videos", value: String(input.summary.jobs) },
  ];
  if (input.spend) lines.push({ label: "Spent", value: describeSpend(input.spend) });
  lines.push({
    label: "Resets",
    value: `00:00 UTC, in ${hoursAndMinutes(input.resetsAt - input.now)}`,
  });
  return { title: input.title, lines };
}

/**
 * Reads the usage asked for from the service: the user's or the space's seconds and spend today.
 */
export async function usageView(
  service: Pick<GenerationServicePort, "usage">,
  question: UsageQuestion,
  now: number,
): Promise<UsageView> {
  const { platform, userId, spaceId } = question;
  const report = await service.usage(platform, userId, spaceId);
  if (question.scope === "space" && report.space) {
    return describeUsage({
      title: `📊 This ${question.spaceName}'s usage today`,
      summary: report.space,
      spend: report.space.spend,
      resetsAt: report.resetsAt,
      now,
    });
  }
  return describeUsage({
    title: "📊 Your usage today",
    summary: report.user,
    spend: report.user.spend,
    resetsAt: report.resetsAt,
    now,
  });
}

/** Title in bold, then one "Label: value" line each; `bold` is the platform's markup. */
export function usageText(view: UsageView, bold: (text: string) => string): string {
  return [bold(view.title), ...view.lines.map((line) => `${line.label}: ${line.value}`)].join("\n");
}

/** The answer to a non-admin asking for the whole space's usage. */
export function adminsOnly(spaceName: string, admins: string): string {
  return `Only ${admins} can see the whole ${spaceName}'s usage; /usage shows your own.`;
}

/** The answer to asking for a space's usage where there is none (a DM). */
export function noSpaceHere(spaceName: string): string {
  return `There is no ${spaceName} here: ask for the ${spaceName}'s usage in one of its channels. /usage shows your own.`;
}
