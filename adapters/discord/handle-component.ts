import type {
  APIInteraction,
  APIMessageApplicationCommandInteraction,
  APIModalSubmitInteraction,
} from "discord.js";
import { extendOverrides, extendText } from "../../commands/extend.ts";
import { animateMessage, type CommandAction } from "../../commands/index.ts";
import { remixRequest, remixText } from "../../commands/remix.ts";
import { UserFacingError } from "../../src/errors.ts";
import type { Job } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { promptForm, readPromptForm } from "./forms.ts";
import { actorOf, targetMedia, textFields } from "./interaction-payload.ts";
import { rememberInteraction, replyWithError } from "./interaction-replies.ts";
import type { InteractionResponder } from "./interaction-responder.ts";
import { customId, parseCustomId } from "./job-links.ts";
import { submitFromInteraction } from "./submit-from-interaction.ts";

/** A new job's origin overrides: this interaction asked, so its response becomes the card. */
function askedBy(interaction: APIInteraction) {
  const { userId, userName } = actorOf(interaction);
  return { interactionId: interaction.id, userId, userName };
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
  buttonId: string,
  interaction: APIInteraction,
  responder: InteractionResponder,
): Promise<void> {
  const parsed = parseCustomId(buttonId);
  if (!parsed) return;
  const { service, logger } = context;
  if (parsed.action === "remix") {
    // A form must be the first answer, so the job is read (a local store lookup) before answering.
    try {
      const job = await requireJob(context, parsed.id);
      await responder.showModal(
        promptForm({
          customId: customId("remix", job.id),
          title: "Remix",
          label: "Prompt and settings",
          value: remixText(job.request),
        }),
      );
    } catch (error) {
      await replyWithError(responder, error, logger);
    }
    return;
  }
  if (parsed.action === "extend") {
    try {
      const job = await requireJob(context, parsed.id);
      await responder.showModal(
        promptForm({
          customId: customId("extend", job.id),
          title: "Extend",
          label: "What happens next",
          value: extendText(job.request),
        }),
      );
    } catch (error) {
      await replyWithError(responder, error, logger);
    }
    return;
  }
  if (parsed.action === "stitch" || parsed.action === "upscale") {
    await responder.defer();
    try {
      await rememberInteraction(context, interaction);
      // The new job's card (or the stitched video) is this interaction's response.
      const options = {
        origin: askedBy(interaction),
        idempotencyKey: interaction.id,
      };
      if (parsed.action === "stitch")
        await service.stitch(parsed.id, actorOf(interaction), options);
      else await service.upscale(parsed.id, actorOf(interaction), options);
    } catch (error) {
      await replyWithError(responder, error, logger);
    }
    return;
  }
  if (parsed.action === "regenerate") {
    await responder.defer();
    try {
      await rememberInteraction(context, interaction);
      // The new job's card is this interaction's response, in the same channel or thread.
      // A replayed interaction finds the job it made instead of making another.
      await service.regenerate(parsed.id, actorOf(interaction), {
        origin: askedBy(interaction),
        idempotencyKey: interaction.id,
      });
    } catch (error) {
      await replyWithError(responder, error, logger);
    }
    return;
  }
  if (parsed.action === "deliver") {
    await responder.defer({ ephemeral: true });
    try {
      const job = await service.retryDelivery(parsed.id, actorOf(interaction));
      await responder.editReply(`Posting the video of job \`${job.id}\` again.`);
    } catch (error) {
      await replyWithError(responder, error, logger);
    }
    return;
  }
  if (parsed.action === "cancel") {
    await responder.defer({ ephemeral: true });
    try {
      const job = await service.cancel(parsed.id, actorOf(interaction));
      await responder.editReply(`Cancelled job \`${job.id}\`.`);
    } catch (error) {
      await replyWithError(responder, error, logger);
    }
  }
}

/** "Animate" on a message: check it has an image, keep its attachments, ask for the prompt. */
export async function handleAnimateMenu(
  context: AdapterContext,
  interaction: APIMessageApplicationCommandInteraction,
  responder: InteractionResponder,
): Promise<void> {
  const media = targetMedia(interaction);
  try {
    animateMessage.check(media);
    await context.forms.remember(interaction.id, media);
  } catch (error) {
    await replyWithError(responder, error, context.logger);
    return;
  }
  await responder.showModal(
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
  interaction: APIModalSubmitInteraction,
  responder: InteractionResponder,
): Promise<void> {
  const parsed = parseCustomId(interaction.data.custom_id);
  if (!parsed) return;
  const text = readPromptForm(textFields(interaction));
  if (parsed.action === "animate") {
    let action: CommandAction;
    try {
      const media = await context.forms.take(parsed.id);
      if (!media)
        throw new UserFacingError("This form has expired; use Animate on the message again.");
      action = animateMessage.run({ attachments: media, text });
    } catch (error) {
      await replyWithError(responder, error, context.logger);
      return;
    }
    if (action.kind === "generate")
      await submitFromInteraction(context, interaction, responder, action.request);
    return;
  }
  if (parsed.action === "extend") {
    await responder.defer();
    try {
      await rememberInteraction(context, interaction);
      await context.service.extend(parsed.id, actorOf(interaction), {
        ...extendOverrides(text),
        origin: askedBy(interaction),
        idempotencyKey: interaction.id,
      });
    } catch (error) {
      await replyWithError(responder, error, context.logger);
    }
    return;
  }
  if (parsed.action === "remix") {
    await submitFromInteraction(
      context,
      interaction,
      responder,
      async () => {
        const parent = await requireJob(context, parsed.id);
        return remixRequest(parent.request, text);
      },
      { parentJobId: parsed.id },
    );
  }
}
