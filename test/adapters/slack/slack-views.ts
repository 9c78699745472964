import type { FakeSlack } from "../../fakes/fake-slack.ts";
import { waitUntil } from "../../support/wait-until.ts";

// What a Slack user would see, read back from the fake: cards, uploaded videos, private notes.

export { waitForJob } from "../../support/wait-for-job.ts";

/** Files shared by the bot (completed uploads), with where they went. */
export function completedUploads(fake: FakeSlack) {
  return fake.callsTo("files.completeUploadExternal").map((call) => ({
    channel: call.fields.channel_id,
    threadTs: call.fields.thread_ts,
    comment: String(call.fields.initial_comment ?? ""),
    fileId: String((call.fields.files as Array<{ id: string }>)[0]?.id),
  }));
}

export async function waitForUploads(fake: FakeSlack, count: number) {
  await waitUntil(() => completedUploads(fake).length >= count, { message: `${count} upload(s)` });
  return completedUploads(fake);
}

/** The job's status card: the bot's latest message with a status block and that job's footer. */
export function cardOf(fake: FakeSlack, jobId: string) {
  return fake.messages.findLast(
    (message) =>
      message.user === fake.botUserId &&
      message.blocks?.some((block) => block.block_id === "job_status") &&
      JSON.stringify(message.blocks).includes(`Job \`${jobId}\``),
  );
}

/** The card's title line ("✅ Done"). */
export function cardTitle(fake: FakeSlack, jobId: string): string | undefined {
  const section = cardOf(fake, jobId)?.blocks?.[0] as { text?: { text?: string } } | undefined;
  return section?.text?.text?.split("\n")[0]?.replaceAll("*", "");
}

/** Private notes the bot sent: ephemeral posts and response_url answers. */
export function privateNotes(fake: FakeSlack): string[] {
  return fake.calls
    .filter((call) => call.method === "chat.postEphemeral" || call.kind === "respond")
    .map((call) => String(call.fields.text ?? ""));
}
