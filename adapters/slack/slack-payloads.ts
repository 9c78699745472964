import { z } from "zod";
import { type IncomingMedia, incomingMediaSchema } from "../../commands/incoming-media.ts";

/** The parts of a Slack file object the bot reads (events, shortcuts, `file_input` values). */
export const slackFileSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  url_private: z.string().optional(),
  url_private_download: z.string().optional(),
});
export type SlackFile = z.infer<typeof slackFileSchema>;

const blockSchema = z.looseObject({
  type: z.string(),
  elements: z.array(z.looseObject({})).optional(),
});

/** A message as `conversations.replies`/`history` return it. */
export const slackMessageSchema = z.looseObject({
  ts: z.string(),
  thread_ts: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  blocks: z.array(blockSchema).optional(),
  files: z.array(slackFileSchema).optional(),
});
export type SlackMessage = z.infer<typeof slackMessageSchema>;

/** Messages from an API answer; anything malformed is skipped rather than trusted. */
export function messagesFrom(value: unknown): SlackMessage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = slackMessageSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

export function filesFrom(value: unknown): SlackFile[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = slackFileSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A Slack file as neutral media: metadata only; the private URL is fetched later, with the token. */
export function mediaFromSlackFile(file: SlackFile): IncomingMedia | undefined {
  const url = file.url_private_download ?? file.url_private;
  if (!url) return undefined;
  return incomingMediaSchema.parse({
    url,
    ...(file.mimetype ? { contentType: file.mimetype } : {}),
    ...(file.size === undefined ? {} : { sizeBytes: file.size }),
    fileName: file.name ?? file.title ?? file.id,
  });
}

/** Where a form's answer goes and what it carries, kept in the view's `private_metadata`. */
export const formMetadataSchema = z.object({
  channelId: z.string().min(1),
  threadTs: z.string().optional(),
  teamId: z.string().optional(),
  /** Remix: the job whose inputs are reused. */
  jobId: z.string().optional(),
  /** Animate from a message: that message's images. */
  media: z.array(incomingMediaSchema).optional(),
});
export type FormMetadata = z.infer<typeof formMetadataSchema>;

export function readFormMetadata(text: string): FormMetadata | undefined {
  try {
    const parsed = formMetadataSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
