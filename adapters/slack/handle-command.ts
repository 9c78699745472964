import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { Command, CommandAction } from "../../commands/index.ts";
import { UserFacingError } from "../../src/errors.ts";
import { needsForm, textOption } from "./command-forms.ts";
import { commandModal } from "./modals.ts";
import { originOf } from "./origins.ts";
import { performAction } from "./perform-action.ts";
import { errorText, responseReply } from "./replies.ts";
import { notInWorkspace, settingsModal } from "./settings-reply.ts";
import type { SlackContext } from "./slack-context.ts";
import { unescapeSlack } from "./slack-text.ts";

type CommandArguments = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * A slash command: checked first (pure and instant) and acknowledged within Slack's 3 seconds,
 * with the mistake as the private answer when there is one; the work happens after.
 */
export async function handleCommand(
  context: SlackContext,
  command: Command,
  { command: payload, ack, respond, client }: CommandArguments,
): Promise<void> {
  const text = unescapeSlack(payload.text ?? "").trim();
  const user = { id: payload.user_id, name: payload.user_name };
  const place = { teamId: payload.team_id, channelId: payload.channel_id };
  const reply = responseReply(context, respond);
  const option = textOption(command);
  // `/settings edit` (any text): the form, prefilled with the workspace's own values.
  if (command.manageSpace && text !== "") {
    await ack();
    try {
      const teamId = place.teamId;
      if (!teamId) return await reply(notInWorkspace);
      const view = await settingsModal(context, command, { ...place, teamId });
      await client.views.open({ trigger_id: payload.trigger_id, view });
    } catch (error) {
      await reply(errorText(error, context.logger, `/${command.name} form`));
    }
    return;
  }
  if (needsForm(command, text)) {
    await ack();
    const initial = option && text ? { [option]: text } : {};
    try {
      await client.views.open({
        trigger_id: payload.trigger_id,
        view: commandModal(command, place, initial),
      });
    } catch (error) {
      await reply(errorText(error, context.logger, `/${command.name} form`));
    }
    return;
  }
  let action: CommandAction;
  try {
    action = command.run(option && text ? { [option]: text } : {});
  } catch (error) {
    await ack(error instanceof UserFacingError ? error.message : undefined);
    if (!(error instanceof UserFacingError))
      await reply(errorText(error, context.logger, "command"));
    return;
  }
  await ack();
  await performAction(context, action, user, {
    origin: originOf(place, user, context.team),
    idempotencyKey: `command:${payload.trigger_id}`,
    reply,
  });
}
