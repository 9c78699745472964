import type { BlobStore } from "../blobs/blob-store.ts";
import type { ChatAdapter, DeliverableVideo } from "../chat/chat-adapter.ts";
import type { CoordinationStore } from "../coordination/coordination.ts";
import { createMemoryCoordination } from "../coordination/memory-coordination.ts";
import type { GenerationRequestInput, Resolution } from "../domain/generation-request.ts";
import { expiredInputs, expiredInputsMessage, inputLinkMarginMs } from "../domain/media-expiry.ts";
import { highestResolution } from "../domain/upscale-resolution.ts";
import { UserFacingError } from "../errors.ts";
import type { OutboundGuard } from "../http/outbound-guard.ts";
import { followUpOrigin, type Job, type JobOrigin } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { Logger } from "../logger.ts";
import { mediaToolsOnce } from "../media/ffmpeg-availability.ts";
import type { MediaHost } from "../media/media-host.ts";
import { UsagePolicy, type UsagePolicySettings, type UsageReport } from "../policy/usage-policy.ts";
import type { GenerationProvider } from "../providers/generation-provider.ts";
import { checkChannel, withSpaceDefaults } from "../settings/apply-space-settings.ts";
import { createMemorySpaceSettings } from "../settings/memory-space-settings.ts";
import { type OperatorCeilings, resolutionRank } from "../settings/space-limits.ts";
import type { SpaceKey, SpaceSettingsStore } from "../settings/space-settings.ts";
import {
  type SettingsEditor,
  SpaceSettingsAccess,
  type SpaceSettingsPatch,
  type SpaceSettingsView,
} from "../settings/space-settings-service.ts";
import { Serial } from "../util/serial.ts";
import { cancelJob } from "./cancellation.ts";
import { Delivery } from "./delivery.ts";
import { EventDedupe } from "./event-dedupe.ts";
import { type ExtensionParts, extendJob } from "./extension.ts";
import type {
  Actor,
  ExtendOverrides,
  GenerationServicePort,
  JobListener,
  RegenerateOverrides,
  StitchOptions,
  SubmitOptions,
  UpscaleOptions,
} from "./generation-service-port.ts";
import { checkInputLinks } from "./input-links.ts";
import { JobClaims } from "./job-claims.ts";
import { JobUpdates } from "./job-updates.ts";
import { ProviderFollower, type SharedInstance } from "./provider-follower.ts";
import { recoverJobs } from "./recovery.ts";
import { RepeatGuard } from "./repeat-guard.ts";
import { defaultSettings, type ServiceContext, type ServiceSettings } from "./service-context.ts";
import { localVideo } from "./shared-videos.ts";
import { StatusNotifier } from "./status-notifier.ts";
import { type StitchParts, stitchChain, stitchedVideo } from "./stitching.ts";
import { sendToProvider } from "./submission.ts";
import { Sweep } from "./sweep.ts";
import { admitTakes } from "./takes.ts";
import { type UpscaleParts, upscaleJob } from "./upscaling.ts";
import { WorkScanner } from "./work-scanner.ts";

export interface GenerationServiceOptions {
  store: JobStore;
  provider: GenerationProvider;
  logger: Logger;
  settings: Partial<ServiceSettings> & Pick<ServiceSettings, "videoDirectory">;
  /** Access, prompt and budget rules; everything is allowed without one. */
  policy?: Partial<UsagePolicySettings>;
  /**
   * Refuses input links that lead to private or local addresses (`src/main.ts` passes the bot's
   * guard, which trusts the platforms' file hosts); without one, links are not checked.
   */
  inputLinkGuard?: OutboundGuard;
  now?: () => number;
  random?: () => number;
  /** Set when instances share one database (DATABASE_URL): who this one is and how they take turns. */
  shared?: SharedInstance & {
    /** How often unclaimed work (a dead peer's, a due retry) is looked for. */
    workScanIntervalMs: number;
  };
  /** Shared state across instances (repeat claims, platform event keys); default: this process only. */
  coordination?: CoordinationStore;
  /** Publishes last frames taken from videos (Extend) for the provider; without one, only provider frames work. */
  frameHost?: MediaHost | undefined;
  /** ffmpeg for posters, fitting videos, Extend and Stitch: undefined looks in PATH, null means none. */
  ffmpegPath?: string | null;
  /** Where downloaded videos are shared with other instances (DATABASE_URL); default: none. */
  videoBlobs?: BlobStore;
  /** Each server's and workspace's own settings (`/settings`); default: this process only. */
  spaceSettings?: SpaceSettingsStore;
  /** The operator's caps (MAX_DURATION_SECONDS, MAX_RESOLUTION), below the model's; spaces may lower them. */
  ceilings?: { maxDuration?: number | undefined; maxResolution?: Resolution | undefined };
}

export type { SubmitOptions } from "./generation-service-port.ts";

const maxSeed = 2_147_483_647;

/** The operator's caps within what the provider's text model allows, and the budgets' environment values. */
function operatorCeilings(options: GenerationServiceOptions): OperatorCeilings {
  const limits = options.provider.catalog.text.standard.limits;
  const highest = highestResolution(limits);
  const maxResolution = options.ceilings?.maxResolution;
  return {
    minDuration: limits.minDuration,
    maxDuration: Math.min(limits.maxDuration, options.ceilings?.maxDuration ?? limits.maxDuration),
    maxResolution:
      maxResolution && resolutionRank(maxResolution) < resolutionRank(highest)
        ? maxResolution
        : highest,
    maxTakes: options.settings.maxTakes ?? defaultSettings.maxTakes,
    dailySecondsPerUser: options.policy?.dailySecondsPerUser,
    dailySecondsPerSpace: options.policy?.dailySecondsPerSpace,
  };
}

/** The one generation service every chat adapter shares. */
export class GenerationService implements GenerationServicePort {
  readonly #context: ServiceContext;
  readonly #adapters = new Map<string, ChatAdapter>();
  readonly #listeners = new Set<JobListener>();
  readonly #connectionListeners = new Set<(connected: boolean) => void>();
  readonly #status: StatusNotifier;
  readonly #updates: JobUpdates;
  readonly #delivery: Delivery;
  readonly #sweep: Sweep;
  readonly #follower: ProviderFollower;
  readonly #claims: JobClaims;
  readonly #scanner: WorkScanner | undefined;
  readonly #policy: UsagePolicy;
  /**
   * Admissions (check, reserve, persist) run one per event-loop turn. Under a burst the chat
   * platform's events are read, and acknowledged, before the admissions queued behind them.
   */
  readonly #admissions = new Serial({ yieldBetween: true });
  readonly #inputLinkGuard: OutboundGuard | undefined;
  readonly #repeats: RepeatGuard;
  readonly #events: EventDedupe;
  readonly #extension: ExtensionParts;
  readonly #stitching: StitchParts;
  readonly #upscaling: UpscaleParts;
  readonly #spaces: SpaceSettingsAccess;
  #started = false;

  constructor(options: GenerationServiceOptions) {
    this.#context = {
      store: options.store,
      provider: options.provider,
      logger: options.logger,
      adapters: this.#adapters,
      settings: { ...defaultSettings, ...options.settings },
      now: options.now ?? (() => Date.now()),
      random: options.random ?? (() => Math.random()),
      changed: (job) => this.#changed(job),
      overwriting: (jobId) => this.#status.overwriting(jobId),
      videoBlobs: options.videoBlobs,
    };
    this.#status = new StatusNotifier(options.store, this.#adapters, options.logger);
    this.#claims = new JobClaims(options.shared, options.logger);
    // One look for ffmpeg, shared by delivery (posters, fitting), Extend and Stitch.
    const ffmpeg = mediaToolsOnce(options.ffmpegPath);
    this.#delivery = new Delivery(this.#context, this.#claims, ffmpeg, (job) =>
      stitchedVideo(this.#context, ffmpeg, job),
    );
    this.#extension = {
      context: this.#context,
      frameHost: options.frameHost,
      ffmpeg,
      submit: (input, origin, submitOptions) => this.submit(input, origin, submitOptions),
    };
    this.#upscaling = {
      context: this.#context,
      inputs: (parent) => this.#renewedInputs(parent),
      submit: (input, origin, submitOptions) => this.submit(input, origin, submitOptions),
    };
    this.#stitching = {
      context: this.#context,
      ffmpeg,
      deliver: (job) => this.#delivery.start(job),
    };
    this.#updates = new JobUpdates(this.#context, (job) => this.#delivery.start(job));
    this.#sweep = new Sweep(this.#context, this.#updates, { keepArmed: !!options.shared });
    this.#follower = new ProviderFollower(
      this.#context,
      {
        sweep: this.#sweep,
        updates: this.#updates,
        connection: (connected) => {
          for (const listener of this.#connectionListeners) listener(connected);
        },
      },
      options.shared,
    );
    this.#scanner =
      options.shared &&
      new WorkScanner(this.#context, {
        claims: this.#claims,
        delivery: this.#delivery,
        advance: (origin) => this.#advance(origin),
        replayEarlyUpdates: () => this.#updates.replayRemembered(),
        shared: options.shared,
        intervalMs: options.shared.workScanIntervalMs,
      });
    this.#policy = new UsagePolicy(options.policy ?? {}, options.store, this.#context.now);
    this.#spaces = new SpaceSettingsAccess(
      options.spaceSettings ?? createMemorySpaceSettings(),
      operatorCeilings(options),
      this.#context.now,
    );
    this.#inputLinkGuard = options.inputLinkGuard;
    const coordination =
      options.coordination ?? createMemoryCoordination({ now: this.#context.now });
    this.#repeats = new RepeatGuard(coordination);
    this.#events = new EventDedupe(coordination);
  }

  isFirstDelivery(platform: string, eventKey: string): Promise<boolean> {
    return this.#events.isFirstDelivery(platform, eventKey);
  }

  registerAdapter(adapter: ChatAdapter): void {
    this.#adapters.set(adapter.platform, adapter);
  }

  onJobChange(listener: JobListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Told each time the provider's event stream connects (true) or is lost (false). */
  onProviderConnection(listener: (connected: boolean) => void): () => void {
    this.#connectionListeners.add(listener);
    return () => this.#connectionListeners.delete(listener);
  }

  /** Follows the provider (alone, or when this instance holds the lease), then resumes unfinished jobs. */
  async start(): Promise<void> {
    await this.#follower.start();
    this.#started = true;
    // Sharing a database, recovery is the first scan: it resumes only work no live peer holds.
    if (this.#scanner) return await this.#scanner.start();
    await recoverJobs(this.#context, {
      delivery: this.#delivery,
      sweep: this.#sweep,
      advance: (origin) => this.#advance(origin),
    });
  }

  /** Stops timers and streams, letting deliveries in progress finish; the next start resumes the rest. */
  async stop(): Promise<void> {
    await this.#admissions.idle();
    await this.#scanner?.stop();
    await this.#sweep.stop();
    await this.#delivery.stop();
    await this.#status.stop();
    if (this.#started) await this.#follower.stop();
    this.#started = false;
  }

  /** The leases this instance holds (name#token), for /readyz. */
  heldLeases(): string[] {
    return [...this.#follower.heldLeases(), ...this.#claims.heldLeases()];
  }

  isReady(): boolean {
    return this.#started && this.#context.store.isHealthy() && this.#follower.isReady();
  }

  async submit(
    input: GenerationRequestInput,
    origin: JobOrigin,
    options: SubmitOptions = {},
  ): Promise<Job> {
    if (!options.parentJobId) return await this.#submitNow(input, origin, options);
    // A second click or submit on the same job within seconds makes no second (paid) job.
    const subject = { origin, sourceJobId: options.parentJobId, action: options.action ?? "remix" };
    return await this.#repeats.run(subject, options.idempotencyKey, () =>
      this.#submitNow(input, origin, options),
    );
  }

  async #submitNow(
    input: GenerationRequestInput,
    origin: JobOrigin,
    options: SubmitOptions,
  ): Promise<Job> {
    // Before admission, which runs one at a time: a slow name lookup holds up nobody else.
    await checkInputLinks(this.#inputLinkGuard, input);
    // The space's channels, defaults and caps; its budgets are decided with the others, in the store.
    const space = await this.#spaces.forOrigin(origin);
    checkChannel(origin, space.limits);
    const filled = withSpaceDefaults(input, space.settings, space.limits);
    const admitted = await this.#admissions.run(() =>
      admitTakes(this.#context, this.#policy, filled, origin, options, space.limits),
    );
    const [first] = admitted.jobs;
    if (!first) throw new Error("An admission stored no job.");
    // A repeated request (same idempotency key) gets the jobs as they are, never a second send.
    if (!admitted.created) return first;
    const sent = await Promise.all(
      admitted.jobs.map((job) => (job.state === "waiting" ? job : this.#send(job))),
    );
    return sent[0] ?? first;
  }

  /** Sends under the job's lease; a peer that holds it (it took the job over) sends it instead. */
  async #send(job: Job): Promise<Job> {
    const sent = await this.#claims.run(job.id, (claim) =>
      sendToProvider(this.#context, job, claim.fence),
    );
    if (!sent) return (await this.#context.store.get(job.id)) ?? job;
    await this.#updates.replayEarly(sent);
    this.#sweep.arm();
    return (await this.#context.store.get(job.id)) ?? sent;
  }

  /** Starts the user's next waiting jobs once one of theirs has left the provider. */
  async #advance(origin: Pick<JobOrigin, "platform" | "userId">): Promise<void> {
    // Decided in the store, atomically with admissions on every instance.
    const { started, renumbered } = await this.#context.store.advance(
      origin,
      this.#context.settings.maxJobsPerUser,
    );
    for (const job of renumbered) this.#changed(job);
    for (const job of started) {
      this.#changed(job);
      void this.#send(job).catch((error: unknown) =>
        this.#context.logger.error({ err: error, jobId: job.id }, "could not send a queued job"),
      );
    }
  }

  async cancel(jobId: string, by: Actor): Promise<Job> {
    return await cancelJob(this.#context, await this.#ownedJob(jobId, by, "cancel"), by);
  }

  async regenerate(jobId: string, by: Actor, overrides: RegenerateOverrides = {}): Promise<Job> {
    const parent = await this.#context.store.get(jobId);
    if (!parent)
      throw new UserFacingError(`No job ${jobId}; use /jobs to see yours.`, {
        code: "JOB_NOT_FOUND",
      });
    const inputs = await this.#renewedInputs(parent);
    const seed = overrides.seed ?? Math.floor(this.#context.random() * maxSeed);
    const request = {
      ...inputs,
      seed,
      ...(overrides.prompt ? { prompt: overrides.prompt } : {}),
    };
    const origin = followUpOrigin(parent.origin, by, overrides.origin);
    return await this.submit(request, origin, {
      parentJobId: parent.id,
      action: "regenerate",
      ...(overrides.idempotencyKey ? { idempotencyKey: overrides.idempotencyKey } : {}),
    });
  }

  async extend(jobId: string, by: Actor, overrides: ExtendOverrides = {}): Promise<Job> {
    return await extendJob(this.#extension, await this.#jobOf(jobId, by), by, overrides);
  }

  async upscale(jobId: string, by: Actor, options: UpscaleOptions = {}): Promise<Job> {
    return await upscaleJob(this.#upscaling, await this.#jobOf(jobId, by), by, options);
  }

  async stitch(jobId: string, by: Actor, options: StitchOptions = {}): Promise<Job> {
    const last = await this.#jobOf(jobId, by);
    // A second click within seconds makes no second stitch.
    const subject = { origin: last.origin, sourceJobId: last.id, action: "stitch" };
    return await this.#repeats.run(subject, options.idempotencyKey, () =>
      stitchChain(this.#stitching, last, by, options),
    );
  }

  async retryDelivery(jobId: string, by: Actor): Promise<Job> {
    return await this.#delivery.retry(await this.#jobOf(jobId, by));
  }

  /**
   * The parent's request with working links: expired ones are made again by the platform that
   * holds the originals when it can; otherwise the user is told which input to attach again.
   */
  async #renewedInputs(parent: Job): Promise<Job["request"]> {
    const before = this.#context.now() + inputLinkMarginMs;
    if (expiredInputs(parent.request, before).length === 0) return parent.request;
    const adapter = this.#adapters.get(parent.origin.platform);
    const renewed =
      (await adapter?.renewInputs?.(parent.request, before, parent.origin)) ?? parent.request;
    const expired = expiredInputs(renewed, before);
    if (expired.length > 0) {
      throw new UserFacingError(expiredInputsMessage(expired), {
        field: "attachments",
        code: "MEDIA_EXPIRED",
      });
    }
    return renewed;
  }

  async usage(platform: string, userId: string, spaceId?: string): Promise<UsageReport> {
    const { limits } = await this.#spaces.forOrigin({ platform, spaceId });
    return await this.#policy.usage(platform, userId, spaceId, limits);
  }

  spaceSettings(space: SpaceKey): Promise<SpaceSettingsView> {
    return this.#spaces.view(space);
  }

  updateSpaceSettings(
    space: SpaceKey,
    patch: SpaceSettingsPatch,
    by: SettingsEditor,
  ): Promise<SpaceSettingsView> {
    return this.#spaces.update(space, patch, by);
  }

  async videoFile(jobId: string): Promise<DeliverableVideo | undefined> {
    const job = await this.#context.store.get(jobId);
    return job?.videoPath ? await localVideo(this.#context, job) : undefined;
  }

  getJob(jobId: string): Promise<Job | undefined> {
    return this.#context.store.get(jobId);
  }

  jobsFor(platform: string, userId: string, limit = 10): Promise<Job[]> {
    return this.#context.store.listByUser(platform, userId, limit);
  }

  /** The job, when it exists on the platform asking. */
  async #jobOf(jobId: string, by: Actor): Promise<Job> {
    const job = await this.#context.store.get(jobId);
    if (!job || job.origin.platform !== by.platform) {
      throw new UserFacingError(`No job ${jobId}; use /jobs to see yours.`, {
        code: "JOB_NOT_FOUND",
      });
    }
    return job;
  }

  async #ownedJob(jobId: string, by: Actor, action: string): Promise<Job> {
    const job = await this.#jobOf(jobId, by);
    if (job.origin.userId !== by.userId && !by.isAdmin) {
      throw new UserFacingError(
        `Only the person who asked for job ${jobId} (or an admin) can ${action} it.`,
      );
    }
    return job;
  }

  #changed(job: Job): void {
    this.#status.notify(job);
    if (job.state === "succeeded" || job.state === "failed" || job.state === "cancelled") {
      void this.#advance(job.origin).catch((error: unknown) =>
        this.#context.logger.error(
          { err: error, jobId: job.id },
          "could not start the next queued job",
        ),
      );
    }
    for (const listener of this.#listeners) {
      try {
        listener(job);
      } catch (error) {
        this.#context.logger.error({ err: error }, "job listener failed");
      }
    }
  }
}
