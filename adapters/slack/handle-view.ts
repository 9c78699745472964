import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { extendOverrides } from "../../commands/extend.ts";
import {
  animateMessage,
  type CommandAction,
  findCommand,
  type IncomingMedia,
  parseFlags,
} from "../../commands/index.ts";
import { remixRequest } from "../../commands/remix.ts";
import { UserFacingError } from "../../src/errors.ts";
import { animateViewId, commandViewPrefix, extendViewId, remixViewId } from "./command-forms.ts";
import { actorOf, originOf } from "./origins.ts";
import { performAction, submitRequest } from "./perform-action.ts";
import { ephemeralReply, errorText } from "./replies.ts";
import type { SlackContext } from "./slack-context.ts";
import { readFormMetadata } from "./slack-payloads.ts";
import { formErrors, readCommandOptions, readPrompt } from "./view-values.ts";

type ViewArguments = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * A submitted form: its values are checked before answering, so a mistake is shown under its field
 * and the form stays open; otherwise the form closes at once and the request is submitted.
 */
export async function handleView(context: SlackContext, { ack, body, view }: ViewArguments) {
  const metadata = readFormMetadata(view.private_metadata);
  const user = { id: body.user.id, name: body.user.name };
  if (!metadata) {
    await ack({
      response_action: "errors",
      errors: { prompt: "This form has expired; open it again." },
    });
    return;
  }
  const values = view.state.values;
  let action: CommandAction | undefined;
  const place = { ...metadata, teamId: metadata.teamId ?? body.team?.id };
  const reply = ephemeralReply(context, { ...place, userId: user.id });
  try {
    action = checkForm(view.callback_id, values, metadata.media ?? []);
  } catch (error) {
    if (error instanceof UserFacingError) {
      await ack({ response_action: "errors", errors: formErrors(error, values) });
      return;
    }
    await ack();
    await reply(errorText(error, context.logger, "form"));
    return;
  }
  await ack();
  const submission = {
    origin: originOf(place, user, context.team),
    idempotencyKey: `view:${view.id}`,
    reply,
    fromForm: true,
  };
  if (action) {
    await performAction(context, action, user, submission);
    return;
  }
  const parentId = metadata.jobId ?? "";
  if (view.callback_id === extendViewId) {
    try {
      await context.service.extend(parentId, actorOf(user), {
        ...extendOverrides(readPrompt(values)),
        origin: submission.origin,
        idempotencyKey: submission.idempotencyKey,
      });
    } catch (error) {
      await reply(errorText(error, context.logger, "extend"));
    }
    return;
  }
  // Remix: the parent's inputs with the edited text.
  await submitRequest(
    context,
    async () => {
      const parent = await context.service.getJob(parentId);
      if (!parent)
        throw new UserFacingError(`No job ${parentId} any more; use /jobs to see yours.`);
      return remixRequest(parent.request, readPrompt(values));
    },
    { ...submission, parentJobId: parentId },
  );
}

/** The form's action when it can be built from the form alone; undefined for Remix. */
function checkForm(
  callbackId: string,
  values: ViewArguments["view"]["state"]["values"],
  media: readonly IncomingMedia[],
): CommandAction | undefined {
  if (callbackId === animateViewId) {
    return animateMessage.run({ attachments: media, text: readPrompt(values) });
  }
  if (callbackId === remixViewId || callbackId === extendViewId) {
    parseFlags(readPrompt(values));
    return undefined;
  }
  const command = findCommand(callbackId.slice(commandViewPrefix.length));
  if (!command)
    throw new UserFacingError("This form is no longer supported; run the command again.");
  return command.run(readCommandOptions(command, values));
}
