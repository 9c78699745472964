import type {
  APIApplicationCommandAutocompleteInteraction,
  APIChatInputApplicationCommandInteraction,
} from "discord.js";
import { type CommandAction, findCommand } from "../../commands/index.ts";
import { boundedExcerpt } from "../../src/chat/excerpt.ts";
import { recentPosters } from "../../src/chat/job-gallery.ts";
import { isPending } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { actorOf, focusedValue, optionValues, userOf } from "./interaction-payload.ts";
import { replyWithError } from "./interaction-replies.ts";
import type { InteractionResponder } from "./interaction-responder.ts";
import { jobsReply } from "./jobs-list.ts";
import { literalPrompt } from "./literal-prompt.ts";
import { discordLimits } from "./message-limits.ts";
import { settingsReply } from "./settings-reply.ts";
import { submitFromInteraction } from "./submit-from-interaction.ts";
import { platform } from "./to-request.ts";
import { usageReply } from "./usage-reply.ts";

/** Slash commands: parse and check first (pure, instant), then defer, then do the work. */
export async function handleCommand(
  context: AdapterContext,
  interaction: APIChatInputApplicationCommandInteraction,
  responder: InteractionResponder,
): Promise<void> {
  const command = findCommand(interaction.data.name);
  if (!command) return;
  let action: CommandAction;
  try {
    action = command.run(optionValues(interaction));
  } catch (error) {
    await replyWithError(responder, error, context.logger);
    return;
  }
  if (action.kind === "generate") {
    await submitFromInteraction(context, interaction, responder, action.request, {
      private: action.private === true,
      ...(action.takes ? { takes: action.takes } : {}),
    });
    return;
  }
  await responder.defer({ ephemeral: true });
  try {
    const actor = actorOf(interaction);
    if (action.kind === "cancel") {
      const job = await context.service.cancel(action.jobId, actor);
      await responder.editReply(
        `Cancelled job \`${job.id}\`: *${literalPrompt(boundedExcerpt(job.request.prompt, 80))}*`,
      );
      return;
    }
    if (action.kind === "usage") {
      await responder.editReply(await usageReply(context, interaction, action.scope));
      return;
    }
    if (action.kind === "settings") {
      await responder.editReply(await settingsReply(context, interaction, action.patch));
      return;
    }
    const jobs = await context.service.jobsFor(platform, actor.userId, 10);
    await responder.editReply(jobsReply(jobs, await recentPosters(jobs)));
  } catch (error) {
    await replyWithError(responder, error, context.logger);
  }
}

/** Suggests the user's pending jobs for `/cancel job`, matching the typed text. */
export async function handleAutocomplete(
  context: AdapterContext,
  interaction: APIApplicationCommandAutocompleteInteraction,
  responder: InteractionResponder,
): Promise<void> {
  const typed = focusedValue(interaction).toLowerCase();
  const jobs = await context.service.jobsFor(platform, userOf(interaction).id, 50);
  const choices = jobs
    .filter(isPending)
    .filter(
      (job) =>
        job.id.toLowerCase().startsWith(typed) || job.request.prompt.toLowerCase().includes(typed),
    )
    .slice(0, 25)
    .map((job) => ({
      name: boundedExcerpt(`${job.request.prompt} (${job.state})`, discordLimits.choiceName),
      value: job.id,
    }));
  await responder.respond(choices);
}
