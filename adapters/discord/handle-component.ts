import {
  type ButtonInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import { extendOverrides, extendText } from "../../commands/extend.ts";
import { animateMessage, type CommandAction } from "../../commands/index.ts";
import { remixRequest, remixText } from "../../commands/remix.ts";
import { UserFacingError } from "../../src/errors.ts";
import type { Job } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { promptForm, readPromptForm } from "./forms.ts";
import { rememberInteraction, replyWithError } from "./interaction-replies.ts";
import { customId, parseCustomId } from "./job-links.ts";
import { submitFromInteraction } from "./submit-from-interaction.ts";
import { interactionMessageId, mediaFromAttachments, platform } from "./to-request.ts";

function actorOf(interaction: ButtonInteraction | ModalSubmitInteraction) {
  return { platform, userId: interaction.user.id, userName: interaction.user.username };
}

async function requireJob(context: AdapterContext, jobId: string): Promise<Job> {
  const job = await context.service.getJob(jobId);
  if (job) return job;
  throw new UserFacingError(`No job ${jobId} any more; use /jobs to see yours.`, {
    code: "JOB_NOT_FOUND",
  });
}

/** Regenerate, Remix and Cancel buttons; each looks its job up, so old buttons keep working. */
export async function handleButton(
  context: AdapterContext,
  interaction: ButtonInteraction,
): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) return;
  const { service, logger } = context;
  if (parsed.action === "remix") {
    // A form must be the first answer, so the job is read (a local store lookup) before answering.
    try {
      const job = await requireJob(context, parsed.id);
      await interaction.showModal(
        promptForm({
          customId: customId("remix", job.id),
          title: "Remix",
          label: "Prompt and settings",
          value: remixText(job.request),
        }),
      );
    } catch (error) {
      await replyWithError(interaction, error, logger);
    }
    return;
  }
  if (parsed.action === "extend") {
    try {
      const job = await requireJob(context, parsed.id);
      await interaction.showModal(
        promptForm({
          customId: customId("extend", job.id),
          title: "Extend",
          label: "What happens next",
          value: extendText(job.request),
        }),
      );
    } catch (error) {
      await replyWithError(interaction, error, logger);
    }
    return;
  }
  if (parsed.action === "stitch" || parsed.action === "upscale") {
    await interaction.deferReply();
    rememberInteraction(context, interaction);
    try {
      const { userId, userName } = actorOf(interaction);
      // The new job's card (or the stitched video) is this interaction's response.
      const options = {
        origin: { messageId: interactionMessageId(interaction.id), userId, userName },
        idempotencyKey: interaction.id,
      };
      if (parsed.action === "stitch")
        await service.stitch(parsed.id, actorOf(interaction), options);
      else await service.upscale(parsed.id, actorOf(interaction), options);
    } catch (error) {
      await replyWithError(interaction, error, logger);
    }
    return;
  }
  if (parsed.action === "regenerate") {
    await interaction.deferReply();
    rememberInteraction(context, interaction);
    try {
      // The new job's card is this interaction's response, in the same channel or thread.
      const { userId, userName } = actorOf(interaction);
      const messageId = interactionMessageId(interaction.id);
      // A replayed interaction finds the job it made instead of making another.
      await service.regenerate(parsed.id, actorOf(interaction), {
        origin: { messageId, userId, userName },
        idempotencyKey: interaction.id,
      });
    } catch (error) {
      await replyWithError(interaction, error, logger);
    }
    return;
  }
  if (parsed.action === "deliver") {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      const job = await service.retryDelivery(parsed.id, actorOf(interaction));
      await interaction.editReply(`Posting the video of job \`${job.id}\` again.`);
    } catch (error) {
      await replyWithError(interaction, error, logger);
    }
    return;
  }
  if (parsed.action === "cancel") {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      const job = await service.cancel(parsed.id, actorOf(interaction));
      await interaction.editReply(`Cancelled job \`${job.id}\`.`);
    } catch (error) {
      await replyWithError(interaction, error, logger);
    }
  }
}

/** "Animate" on a message: check it has an image, keep its attachments, ask for the prompt. */
export async function handleAnimateMenu(
  context: AdapterContext,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const media = mediaFromAttachments(interaction.targetMessage.attachments);
  try {
    animateMessage.check(media);
    await context.forms.remember(interaction.id, media);
  } catch (error) {
    await replyWithError(interaction, error, context.logger);
    return;
  }
  await interaction.showModal(
    promptForm({
      customId: customId("animate", interaction.id),
      title: animateMessage.description,
      label: animateMessage.promptLabel,
      placeholder: animateMessage.promptPlaceholder,
    }),
  );
}

/** Animate and Remix forms. */
export async function handleModal(
  context: AdapterContext,
  interaction: ModalSubmitInteraction,
): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) return;
  const text = readPromptForm(interaction);
  if (parsed.action === "animate") {
    let action: CommandAction;
    try {
      const media = await context.forms.take(parsed.id);
      if (!media)
        throw new UserFacingError("This form has expired; use Animate on the message again.");
      action = animateMessage.run({ attachments: media, text });
    } catch (error) {
      await replyWithError(interaction, error, context.logger);
      return;
    }
    if (action.kind === "generate")
      await submitFromInteraction(context, interaction, action.request);
    return;
  }
  if (parsed.action === "extend") {
    await interaction.deferReply();
    rememberInteraction(context, interaction);
    try {
      const { userId, userName } = actorOf(interaction);
      await context.service.extend(parsed.id, actorOf(interaction), {
        ...extendOverrides(text),
        origin: { messageId: interactionMessageId(interaction.id), userId, userName },
        idempotencyKey: interaction.id,
      });
    } catch (error) {
      await replyWithError(interaction, error, context.logger);
    }
    return;
  }
  if (parsed.action === "remix") {
    await submitFromInteraction(
      context,
      interaction,
      async () => {
        const parent = await requireJob(context, parsed.id);
        return remixRequest(parent.request, text);
      },
      { parentJobId: parsed.id },
    );
  }
}
