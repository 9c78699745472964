import { readFile } from "node:fs/promises";
import type { ChatAdapter, DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import { PlatformError } from "../../src/errors.ts";
import type { Job, JobOrigin } from "../../src/jobs/job.ts";

export interface RecordedDelivery {
  jobId: string;
  channelId: string;
  threadId: string | undefined;
  userId: string;
  bytes: Buffer;
  fileName: string;
}

export interface RecordingChatAdapterOptions {
  /**
   * A JSON-lines file of posts the platform took from an earlier process (`{ "jobId": … }` per
   * line): the platform's side, which outlives the bot. `findDelivery` reads it.
   */
  platformLog?: string;
}

/**
 * A chat platform that keeps what a user would see: one status card per job (its history of
 * states) and the videos posted, with their bytes.
 */
export class RecordingChatAdapter implements ChatAdapter {
  readonly platform: string;
  readonly deliveries: RecordedDelivery[] = [];
  readonly cards = new Map<string, { messageId: string; states: string[]; last: Job }>();
  /** Job ids `findDelivery` was asked about, in order. */
  readonly lookups: string[] = [];
  readonly #platformLog: string | undefined;
  #failures: Array<{ error: () => Error; afterPosting: boolean }> = [];
  #statusFailures = 0;
  #lookupFailures = 0;
  #deliveryWaiters: Array<() => void> = [];

  constructor(platform = "test", options: RecordingChatAdapterOptions = {}) {
    this.platform = platform;
    this.#platformLog = options.platformLog;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  uploadLimitBytes(_origin: JobOrigin): number {
    return 10 * 1024 * 1024;
  }

  async showStatus(job: Job): Promise<string> {
    if (this.#statusFailures > 0) {
      this.#statusFailures--;
      throw new PlatformError({
        message: "edit failed (503)",
        platform: this.platform,
        statusCode: 503,
      });
    }
    const card = this.cards.get(job.id) ?? { messageId: `card-${job.id}`, states: [], last: job };
    if (card.states.at(-1) !== job.state) card.states.push(job.state);
    card.last = job;
    this.cards.set(job.id, card);
    return card.messageId;
  }

  async deliver(job: Job, video: DeliverableVideo): Promise<void> {
    const failure = this.#failures.shift();
    if (failure && !failure.afterPosting) throw failure.error();
    this.deliveries.push({
      jobId: job.id,
      channelId: job.origin.channelId,
      threadId: job.origin.threadId,
      userId: job.origin.userId,
      bytes: await readFile(video.path),
      fileName: video.fileName,
    });
    for (const wake of this.#deliveryWaiters.splice(0)) wake();
    if (failure) throw failure.error();
  }

  /** Posted here, or (from an earlier process) in the platform log. */
  async findDelivery(job: Job): Promise<boolean> {
    this.lookups.push(job.id);
    if (this.#lookupFailures > 0) {
      this.#lookupFailures--;
      throw new PlatformError({
        message: "history read failed (503)",
        platform: this.platform,
        statusCode: 503,
      });
    }
    if (this.deliveriesOf(job.id).length > 0) return true;
    if (!this.#platformLog) return false;
    const log = await readFile(this.#platformLog, "utf8").catch(() => "");
    return log
      .split("\n")
      .filter((line) => line.trim())
      .some((line) => (JSON.parse(line) as { jobId?: string }).jobId === job.id);
  }

  /**
   * The next `count` uploads fail the way a platform 5xx would. With `afterPosting`, the video is
   * posted first and only the answer fails (a response lost on the way back).
   */
  failNextDeliveries(count: number, retryable = true, { afterPosting = false } = {}): void {
    for (let index = 0; index < count; index++) {
      this.#failures.push({
        error: () =>
          new PlatformError({
            message: "upload failed (503)",
            platform: this.platform,
            statusCode: 503,
            retryable,
          }),
        afterPosting,
      });
    }
  }

  /** The next `count` `findDelivery` calls fail (the platform's history cannot be read). */
  failNextLookups(count: number): void {
    this.#lookupFailures += count;
  }

  /** The next `count` status card posts or edits fail the way a platform 5xx would. */
  failNextStatus(count: number): void {
    this.#statusFailures += count;
  }

  deliveriesOf(jobId: string): RecordedDelivery[] {
    return this.deliveries.filter((delivery) => delivery.jobId === jobId);
  }
}
