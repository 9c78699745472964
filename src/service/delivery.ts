import type { DeliverableVideo } from "../chat/chat-adapter.ts";
import { BotError, isRetryable, ProviderError, UserFacingError } from "../errors.ts";
import type { Job } from "../jobs/job.ts";
import type { MediaTools } from "../media/ffmpeg-availability.ts";
import { backoffDelay } from "../util/backoff.ts";
import { isAlreadyPosted } from "./already-posted.ts";
import { DeliveryMedia } from "./delivery-media.ts";
import type { Claim, JobClaims } from "./job-claims.ts";
import type { ServiceContext } from "./service-context.ts";
import { localVideo, shareVideo } from "./shared-videos.ts";
import { saveVideo } from "./video-file.ts";

const expiredStatuses = new Set([401, 403, 404, 410]);

/**
 * Takes a succeeded job to its chat: claims it (compare-and-set, so only one deliverer wins), downloads
 * the video once, hands it to the platform's adapter, and retries transient failures with backoff. A
 * delivery resumed in `delivering` first asks the platform whether the video is already there.
 */
export class Delivery {
  readonly #context: ServiceContext;
  readonly #claims: JobClaims;
  /** Makes the video of a job the bot makes itself (a stitch) instead of downloading it. */
  readonly #madeHere: ((job: Job) => Promise<DeliverableVideo>) | undefined;
  readonly #media: DeliveryMedia;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #retryTimers = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  constructor(
    context: ServiceContext,
    claims: JobClaims,
    tools: () => Promise<MediaTools | undefined>,
    madeHere?: (job: Job) => Promise<DeliverableVideo>,
  ) {
    this.#context = context;
    this.#claims = claims;
    this.#madeHere = madeHere;
    this.#media = new DeliveryMedia(context, tools);
  }

  /** Starts delivering `job` (succeeded, or delivering after a restart) unless it is already under way. */
  start(job: Job): void {
    if (this.#stopped || this.#inFlight.has(job.id) || this.#retryTimers.has(job.id)) return;
    const run = this.#claims
      .run(job.id, (claim) => this.#run(job, claim))
      .catch((error: unknown) =>
        this.#context.logger.error({ err: error, jobId: job.id }, "delivery could not start"),
      )
      .finally(() => this.#inFlight.delete(job.id));
    this.#inFlight.set(job.id, run);
  }

  /**
   * Posts a job's video again after its delivery failed for good, with a fresh round of attempts
   * (the ones spent before belong to the failure that ended them).
   */
  async retry(job: Job): Promise<Job> {
    if (job.state !== "delivery_failed") {
      throw new UserFacingError(
        job.state === "delivered" || job.state === "delivering"
          ? `Job ${job.id} is already posted (or being posted); there is nothing to post again.`
          : `Job ${job.id} has no video to post again yet: it is ${job.state.replace("_", " ")}.`,
      );
    }
    const renewed = (await this.#context.store.update(job.id, { attempts: 0 }, job.version)) ?? job;
    this.start(renewed);
    return renewed;
  }

  /** Stops scheduling retries and waits for deliveries in progress (the next start resumes the rest). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  /** Whether this instance is delivering the job now, or will retry it. */
  has(jobId: string): boolean {
    return this.#inFlight.has(jobId) || this.#retryTimers.has(jobId);
  }

  async #run(listed: Job, claim: Claim): Promise<void> {
    const { fence } = claim;
    const { store, adapters, logger } = this.#context;
    // Under a shared store the job may have moved on since it was listed; the claim's first write fences it.
    const job = fence === undefined ? listed : await store.get(listed.id);
    if (!job) return;
    if (!adapters.has(job.origin.platform)) {
      logger.warn(
        { jobId: job.id, platform: job.origin.platform },
        "no adapter for this platform yet",
      );
      return;
    }
    // Already delivering: an earlier process or attempt may have posted it without hearing back.
    const resumed = job.state === "delivering";
    const stamped =
      resumed && fence !== undefined
        ? await store.transition(job.id, { from: ["delivering"], to: "delivering", fence })
        : job;
    const claimed = resumed
      ? stamped
      : await store.transition(job.id, {
          from: ["succeeded", "delivery_failed"],
          to: "delivering",
          fence,
        });
    if (!claimed) return;
    if (!resumed) this.#context.changed(claimed);
    try {
      if (resumed && (await isAlreadyPosted(this.#context, claimed))) {
        await this.#recordDelivered(claimed, await this.#costOf(claimed), fence);
      } else {
        await this.#deliver(claimed, claim);
      }
    } catch (error) {
      await this.#handleFailure(claimed.id, error, fence);
    }
  }

  async #deliver(job: Job, claim: Claim): Promise<void> {
    const { fence } = claim;
    const original = await this.#ensureVideo(job);
    const adapter = this.#context.adapters.get(job.origin.platform);
    const limit = adapter?.uploadLimitBytes(job.origin) ?? Number.POSITIVE_INFINITY;
    const video = await this.#media.prepare(job, original, limit);
    const cost = await this.#costOf(job);
    const ready = {
      ...job,
      videoPath: original.path,
      videoBytes: original.sizeBytes,
      ...(cost === undefined ? {} : { cost }),
    };
    // A post cannot be fenced: if the lease lapsed meanwhile (a long pause), the peer that took it posts.
    if (!(await claim.confirm())) {
      this.#context.logger.warn(
        { jobId: job.id },
        "left a delivery to the peer that took its lease",
      );
      return;
    }
    // "Posting the video" would be replaced by "done" as soon as the post lands: not worth a card edit.
    this.#context.overwriting(job.id);
    await adapter?.deliver(ready, video);
    await this.#recordDelivered(job, cost, fence);
  }

  async #costOf(job: Job): Promise<number | undefined> {
    const { provider } = this.#context;
    return (
      job.cost ?? (job.providerJobId ? await provider.fetchCost(job.providerJobId) : undefined)
    );
  }

  async #recordDelivered(
    job: Job,
    cost: number | undefined,
    fence: number | undefined,
  ): Promise<void> {
    const { store, now } = this.#context;
    const done = await store.transition(job.id, {
      from: ["delivering"],
      to: "delivered",
      patch: { deliveredAt: now(), ...(cost === undefined ? {} : { cost }) },
      fence,
    });
    if (done) this.#context.changed(done);
  }

  async #ensureVideo(job: Job): Promise<DeliverableVideo> {
    const { store, provider, settings, logger } = this.#context;
    if (job.stitchOf && this.#madeHere) return await this.#madeHere(job);
    // Downloaded here, or by another instance (the shared store with DATABASE_URL).
    const existing = await localVideo(this.#context, job);
    if (existing) return existing;
    let url = job.resultUrl;
    if (!url && job.providerJobId) url = (await provider.getStatus(job.providerJobId)).resultUrl;
    if (!url)
      throw new BotError({
        code: "PROVIDER_FAILED",
        message: "The provider gave no video URL yet.",
        retryable: true,
      });
    const download = await provider.openResult(url).catch(async (error: unknown) => {
      // Result links expire; a fresh status carries a fresh one.
      if (
        !(error instanceof ProviderError && expiredStatuses.has(error.statusCode ?? 0)) ||
        !job.providerJobId
      )
        throw error;
      const fresh = (await provider.getStatus(job.providerJobId)).resultUrl;
      if (!fresh || fresh === url) throw error;
      url = fresh;
      return await provider.openResult(fresh);
    });
    const video = await saveVideo(
      download,
      settings.videoDirectory,
      job.id,
      settings.maxVideoBytes,
    );
    // Failing to share costs another instance a download, not this delivery.
    await shareVideo(this.#context, job.id, video).catch((error: unknown) =>
      logger.warn({ err: error, jobId: job.id }, "could not share the video with other instances"),
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await store.get(job.id);
      if (!current) break;
      const saved = await store.update(
        job.id,
        { videoPath: video.path, videoBytes: video.sizeBytes, resultUrl: url },
        current.version,
      );
      if (saved) break;
    }
    return video;
  }

  async #handleFailure(jobId: string, error: unknown, fence: number | undefined): Promise<void> {
    const { store, settings, logger, random, now } = this.#context;
    const current = await store.get(jobId);
    if (current?.state !== "delivering") return;
    // A newer claim took the job over meanwhile: the failure is its to handle.
    if (fence !== undefined && (current.fence ?? 0) > fence) return;
    const attempts = current.attempts + 1;
    const retry = isRetryable(error) && attempts < settings.deliveryMaxAttempts && !this.#stopped;
    logger.warn({ jobId, attempts, retry, err: error }, "delivery failed");
    if (!retry) {
      const failed = await store.transition(jobId, {
        from: ["delivering"],
        to: "delivery_failed",
        patch: { attempts, error: deliveryFailureMessage(error) },
        fence,
      });
      if (failed) this.#context.changed(failed);
      return;
    }
    const delay = backoffDelay(attempts - 1, { ...settings.deliveryBackoffMs, random });
    // Durable: the next attempt's time is in the store, so any instance makes it if this one is gone.
    const updated = await store.update(
      jobId,
      { attempts, nextAttemptAt: now() + delay },
      current.version,
    );
    const timer = setTimeout(() => {
      this.#retryTimers.delete(jobId);
      if (updated) this.start(updated);
      else void store.get(jobId).then((job) => job && this.start(job));
    }, delay);
    timer.unref();
    this.#retryTimers.set(jobId, timer);
  }
}

function deliveryFailureMessage(error: unknown): string {
  const reason =
    error instanceof BotError ? error.message : "the chat platform kept refusing the upload";
  return `The video was made but could not be posted: ${reason}`;
}
