import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { extendText } from "../../commands/extend.ts";
import { remixText } from "../../commands/remix.ts";
import { UserFacingError } from "../../src/errors.ts";
import { extendViewId, remixViewId } from "./command-forms.ts";
import { parseActionId } from "./job-actions.ts";
import { promptModal } from "./modals.ts";
import { actorOf, threadOf } from "./origins.ts";
import { errorText, responseReply } from "./replies.ts";
import { platform, type SlackContext } from "./slack-context.ts";

type ActionArguments = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * Regenerate, Remix and Cancel buttons on a card. The job comes from the button itself and is
 * looked up in the store, so buttons on old cards keep working after a restart.
 */
export async function handleButton(
  context: SlackContext,
  { ack, body, action, respond, client }: ActionArguments,
): Promise<void> {
  await ack();
  const parsed = "action_id" in action ? parseActionId(action.action_id) : undefined;
  const channelId = body.channel?.id ?? String(body.container.channel_id ?? "");
  if (!parsed || !channelId || !body.message) return;
  // The same click delivered again (or to another instance) is handled once.
  if (!(await context.service.isFirstDelivery(platform, `trigger:${body.trigger_id}`))) return;
  const reply = responseReply(context, respond);
  const user = { id: body.user.id, name: body.user.username ?? body.user.name };
  const threadTs = threadOf({ ts: body.message.ts, thread_ts: body.message.thread_ts });
  const { service } = context;
  try {
    if (parsed.action === "remix" || parsed.action === "extend") {
      const job = await service.getJob(parsed.jobId);
      if (!job)
        throw new UserFacingError(`No job ${parsed.jobId} any more; use /jobs to see yours.`);
      const extend = parsed.action === "extend";
      await client.views.open({
        trigger_id: body.trigger_id,
        view: promptModal({
          callbackId: extend ? extendViewId : remixViewId,
          title: extend ? "Extend" : "Remix",
          label: extend ? "What happens next" : "Prompt and settings",
          value: extend ? extendText(job.request) : remixText(job.request),
          metadata: {
            channelId,
            threadTs,
            jobId: job.id,
            ...(body.team ? { teamId: body.team.id } : {}),
          },
        }),
      });
      return;
    }
    if (parsed.action === "cancel") {
      const job = await service.cancel(parsed.jobId, actorOf(user));
      await reply(`Cancelled job \`${job.id}\`.`);
      return;
    }
    if (parsed.action === "deliver") {
      const job = await service.retryDelivery(parsed.jobId, actorOf(user));
      await reply(`Posting the video of job \`${job.id}\` again.`);
      return;
    }
    if (parsed.action === "stitch" || parsed.action === "upscale") {
      const options = {
        origin: {
          threadId: threadTs,
          userId: user.id,
          ...(user.name ? { userName: user.name } : {}),
        },
        idempotencyKey: `trigger:${body.trigger_id}`,
      };
      if (parsed.action === "stitch") await service.stitch(parsed.jobId, actorOf(user), options);
      else await service.upscale(parsed.jobId, actorOf(user), options);
      return;
    }
    // A redelivered click finds the job it made instead of making another.
    await service.regenerate(parsed.jobId, actorOf(user), {
      origin: {
        threadId: threadTs,
        userId: user.id,
        ...(user.name ? { userName: user.name } : {}),
      },
      idempotencyKey: `trigger:${body.trigger_id}`,
    });
  } catch (error) {
    await reply(errorText(error, context.logger, parsed.action));
  }
}
