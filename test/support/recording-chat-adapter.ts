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

/**
 * A chat platform that keeps what a user would see: one status card per job (its history of
 * states) and the videos posted, with their bytes.
 */
export class RecordingChatAdapter implements ChatAdapter {
  readonly platform: string;
  readonly deliveries: RecordedDelivery[] = [];
  readonly cards = new Map<string, { messageId: string; states: string[]; last: Job }>();
  #failures: Array<() => Error> = [];
  #statusFailures = 0;
  #deliveryWaiters: Array<() => void> = [];

  constructor(platform = "test") {
    this.platform = platform;
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
    if (failure) throw failure();
    this.deliveries.push({
      jobId: job.id,
      channelId: job.origin.channelId,
      threadId: job.origin.threadId,
      userId: job.origin.userId,
      bytes: await readFile(video.path),
      fileName: video.fileName,
    });
    for (const wake of this.#deliveryWaiters.splice(0)) wake();
  }

  /** The next `count` uploads fail the way a platform 5xx would. */
  failNextDeliveries(count: number, retryable = true): void {
    for (let index = 0; index < count; index++) {
      this.#failures.push(
        () =>
          new PlatformError({
            message: "upload failed (503)",
            platform: this.platform,
            statusCode: 503,
            retryable,
          }),
      );
    }
  }

  /** The next `count` status card posts or edits fail the way a platform 5xx would. */
  failNextStatus(count: number): void {
    this.#statusFailures += count;
  }

  deliveriesOf(jobId: string): RecordedDelivery[] {
    return this.deliveries.filter((delivery) => delivery.jobId === jobId);
  }
}
