import type { GenerationRequestInput } from "../src/domain/generation-request.ts";
import { UserFacingError } from "../src/errors.ts";
import { buildRequest, refusePrivate, refuseTakes } from "./build-request.ts";
import { type IncomingMedia, type SortedMedia, sortMedia } from "./incoming-media.ts";
import { type InlineFlags, parseFlags } from "./parse-flags.ts";

/** A chat message addressed to the bot, in platform-neutral terms. */
export interface IncomingMessage {
  /** The text without the bot's mention. */
  text: string;
  attachments: readonly IncomingMedia[];
  /** Attachments of the message this one replies to, if any. */
  repliedAttachments?: readonly IncomingMedia[];
  /** Used when the text holds no prompt (a reply to one of the bot's results reuses its prompt). */
  fallbackPrompt?: string;
}

const referenceToken = /@(?:image|video|audio)\d+/i;

/**
 * Decides what a message asks for: no media → text-to-video; 1–2 images → image-to-video (the
 * second is the end frame); video or audio, more than 2 images, or @ImageN/@VideoN/@AudioN tokens
 * → reference-to-video. A reply without media uses the media of the message it answers.
 */
export function routeMessage(message: IncomingMessage): GenerationRequestInput {
  const { prompt: typedPrompt, flags } = parseFlags(message.text);
  refusePrivate(flags);
  refuseTakes(flags);
  const prompt = typedPrompt || message.fallbackPrompt || "";
  const own = sortMedia(message.attachments);
  const replied = sortMedia(message.repliedAttachments ?? []);
  if (flags.endFrame) return endFrameRequest(prompt, own, replied, flags);

  const ownCount = own.images.length + own.videos.length + own.audios.length;
  const media = ownCount > 0 ? own : replied;
  const wantsReference =
    media.videos.length > 0 ||
    media.audios.length > 0 ||
    media.images.length > 2 ||
    referenceToken.test(prompt);
  if (wantsReference) {
    return buildRequest(
      "reference",
      prompt,
      {
        referenceImages: media.images,
        referenceVideos: media.videos,
        referenceAudios: media.audios,
      },
      flags,
    );
  }
  if (media.images.length > 0) {
    return buildRequest(
      "image",
      prompt,
      { startImage: media.images[0], endImage: media.images[1] },
      flags,
    );
  }
  return buildRequest("text", prompt, {}, flags);
}

/** "--end": this message's image ends the clip that the replied-to image (or the first) starts. */
function endFrameRequest(
  prompt: string,
  own: SortedMedia,
  replied: SortedMedia,
  flags: InlineFlags,
): GenerationRequestInput {
  const [first, second] = own.images;
  if (first && second) {
    return buildRequest("image", prompt, { startImage: first, endImage: second }, flags);
  }
  const start = replied.images[0];
  if (first && start) {
    return buildRequest("image", prompt, { startImage: start, endImage: first }, flags);
  }
  throw new UserFacingError(
    `--end needs a start and an end image, but ${own.images.length} image(s) came with the message; attach two images, or reply to the start image with the end image.`,
    { field: "end" },
  );
}
