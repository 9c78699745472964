import { UserFacingError } from "../src/errors.ts";
import { buildRequest, refusePrivate, refuseTakes } from "./build-request.ts";
import type { CommandAction } from "./define-command.ts";
import { type IncomingMedia, mediaKindOf } from "./incoming-media.ts";
import { parseFlags } from "./parse-flags.ts";

/** A command run on an existing message (Discord message context menu, Slack message shortcut). */
export interface MessageAction {
  readonly name: string;
  readonly description: string;
  /** Label of the one text field the action asks for before it runs. */
  readonly promptLabel: string;
  readonly promptPlaceholder: string;
  /** Throws UserFacingError when the message cannot be used (checked before asking for text). */
  check(attachments: readonly IncomingMedia[]): void;
  run(input: { attachments: readonly IncomingMedia[]; text: string }): CommandAction;
}

function imagesOf(attachments: readonly IncomingMedia[]): IncomingMedia[] {
  return attachments.filter((attachment) => mediaKindOf(attachment) === "image");
}

/** "Animate": image-to-video from the message's first image; a second image is the end frame. */
export const animateMessage: MessageAction = {
  name: "Animate",
  description: "Turn this message's image into a video",
  promptLabel: "What should happen?",
  promptPlaceholder: "The camera slowly pushes in as leaves fall --dur 8 --ar 16:9",
  check(attachments) {
    if (imagesOf(attachments).length === 0) {
      throw new UserFacingError(
        "That message has no image to animate; pick a message with a JPEG, PNG or WebP image.",
        { field: "image" },
      );
    }
  },
  run({ attachments, text }) {
    this.check(attachments);
    const [startImage, endImage] = imagesOf(attachments);
    const { prompt, flags } = parseFlags(text);
    refusePrivate(flags);
    refuseTakes(flags);
    return {
      kind: "generate",
      request: buildRequest("image", prompt, { startImage, endImage }, flags),
    };
  },
};
