import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { mediaKindOf } from "../../commands/incoming-media.ts";
import { animateMessage } from "../../commands/index.ts";
import { animateViewId } from "./command-forms.ts";
import { promptModal } from "./modals.ts";
import { threadOf } from "./origins.ts";
import { errorText, responseReply } from "./replies.ts";
import type { SlackContext } from "./slack-context.ts";
import { mediaOfFiles } from "./slack-messages.ts";
import { filesFrom } from "./slack-payloads.ts";
import { escapeSlack } from "./slack-text.ts";

type ShortcutArguments = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/**
 * "Animate with Seedance" on a message: its images are checked and kept in the form (Slack cannot
 * prefill a file input), and the form asks for the prompt. The answer goes to the message's thread.
 */
export async function handleAnimateShortcut(
  context: SlackContext,
  { shortcut, ack, respond, client }: ShortcutArguments,
): Promise<void> {
  await ack();
  if (shortcut.type !== "message_action") return;
  const reply = responseReply(context, respond);
  try {
    const media = await mediaOfFiles(context, filesFrom(shortcut.message.files));
    animateMessage.check(media);
    const images = media.filter((item) => mediaKindOf(item) === "image").slice(0, 2);
    const names = images.map(
      (image, index) =>
        `${index === 0 ? "Start" : "End"} frame: ${escapeSlack(image.fileName ?? "image")}`,
    );
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: promptModal({
        callbackId: animateViewId,
        title: animateMessage.name,
        label: animateMessage.promptLabel,
        placeholder: animateMessage.promptPlaceholder,
        context: names.join(" · "),
        metadata: {
          channelId: shortcut.channel.id,
          threadTs: threadOf(shortcut.message),
          ...(shortcut.team?.id ? { teamId: shortcut.team.id } : {}),
          media: images,
        },
      }),
    });
  } catch (error) {
    await reply(errorText(error, context.logger, "shortcut"));
  }
}
