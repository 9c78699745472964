import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
} from "discord.js";
import { type CommandAction, findCommand } from "../../commands/index.ts";
import { boundedExcerpt } from "../../src/chat/excerpt.ts";
import { recentPosters } from "../../src/chat/job-gallery.ts";
import { isPending } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { replyWithError } from "./interaction-replies.ts";
import { jobsReply } from "./jobs-list.ts";
import { literalPrompt } from "./literal-prompt.ts";
import { discordLimits } from "./message-limits.ts";
import { submitFromInteraction } from "./submit-from-interaction.ts";
import { optionValues, platform } from "./to-request.ts";
import { usageReply } from "./usage-reply.ts";

/** Slash commands: parse and check first (pure, instant), then defer, then do the work. */
export async function handleCommand(
  context: AdapterContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const command = findCommand(interaction.commandName);
  if (!command) return;
  let action: CommandAction;
  try {
    action = command.run(optionValues(interaction));
  } catch (error) {
    await replyWithError(interaction, error, context.logger);
    return;
  }
  if (action.kind === "generate") {
    await submitFromInteraction(context, interaction, action.request, {
      private: action.private === true,
      ...(action.takes ? { takes: action.takes } : {}),
    });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  try {
    const actor = { platform, userId: interaction.user.id, userName: interaction.user.username };
    if (action.kind === "cancel") {
      const job = await context.service.cancel(action.jobId, actor);
      await interaction.editReply(
        `Cancelled job \`${job.id}\`: *${literalPrompt(boundedExcerpt(job.request.prompt, 80))}*`,
      );
      return;
    }
    if (action.kind === "usage") {
      await interaction.editReply(await usageReply(context, interaction, action.scope));
      return;
    }
    const jobs = await context.service.jobsFor(platform, interaction.user.id, 10);
    await interaction.editReply(jobsReply(jobs, await recentPosters(jobs)));
  } catch (error) {
    await replyWithError(interaction, error, context.logger);
  }
}

/** Suggests the user's pending jobs for `/cancel job`, matching the typed text. */
export async function handleAutocomplete(
  context: AdapterContext,
  interaction: AutocompleteInteraction,
): Promise<void> {
  const typed = interaction.options.getFocused().toLowerCase();
  const jobs = await context.service.jobsFor(platform, interaction.user.id, 50);
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
  await interaction.respond(choices);
}
