import type { DeliverableVideo } from "../chat/chat-adapter.ts";
import { describeSeconds, describeSize } from "../chat/file-size.ts";
import type { Job } from "../jobs/job.ts";
import { ffmpegMissingReason, type MediaTools } from "../media/ffmpeg-availability.ts";
import { makePoster, nonEmptyFileSize, posterPathFor } from "../media/poster-frame.ts";
import { fitVideo, minimumVideoKilobitsPerSecond } from "../media/video-fitter.ts";
import { probeVideo, type VideoFacts } from "../media/video-probe.ts";
import type { ServiceContext } from "./service-context.ts";

/** `<job>.mp4` → `<job>.fit-<limit>.mp4`: one fitted copy per limit, reused on a retry. */
function fittedPathFor(videoPath: string, limitBytes: number): string {
  return `${videoPath.replace(/\.[^./]+$/, "")}.fit-${limitBytes}.mp4`;
}

/**
 * Gets a finished video ready for its destination: a poster frame beside it (for link-only
 * posts, `/jobs` and thumbnails), and, when it is over the destination's upload limit, a copy
 * re-encoded to fit, or else the reason it goes out as a link. Nothing here fails a delivery:
 * without ffmpeg, or when ffmpeg fails, the user is told why it is a link.
 */
export class DeliveryMedia {
  readonly #context: ServiceContext;
  readonly #tools: () => Promise<MediaTools | undefined>;

  constructor(context: ServiceContext, tools: () => Promise<MediaTools | undefined>) {
    this.#context = context;
    this.#tools = tools;
  }

  async prepare(job: Job, video: DeliverableVideo, limitBytes: number): Promise<DeliverableVideo> {
    const tools = await this.#tools();
    const facts = tools ? await this.#probe(tools, job, video) : undefined;
    const poster = await this.#poster(tools, job, video, facts);
    const withPoster = poster ? { ...video, poster } : video;
    if (video.sizeBytes <= limitBytes) return withPoster;
    const over = `It is ${describeSize(video.sizeBytes)}, over the ${describeSize(limitBytes)} upload limit here`;
    const link = (why: string) => ({
      ...withPoster,
      fit: { kind: "link" as const, note: `${over}, and ${why}, so here is a link instead` },
    });
    if (!tools) return link(`${ffmpegMissingReason} to make a smaller copy`);
    if (!facts) return link("the bot could not read the video to make a smaller copy");
    const output = fittedPathFor(video.path, limitBytes);
    const reused = await nonEmptyFileSize(output);
    try {
      const outcome =
        reused !== undefined && reused <= limitBytes
          ? { fitted: true as const, path: output, sizeBytes: reused }
          : await fitVideo(tools, { input: video.path, output, facts, limitBytes });
      if (!outcome.fitted) {
        return link(
          `at ${describeSeconds(facts.durationSeconds)} a copy that fits would get about ${outcome.videoKilobitsPerSecond} kb/s, below the ${minimumVideoKilobitsPerSecond} kb/s that stays watchable`,
        );
      }
      return {
        ...withPoster,
        path: outcome.path,
        sizeBytes: outcome.sizeBytes,
        contentType: "video/mp4",
        fit: {
          kind: "reencoded",
          originalBytes: video.sizeBytes,
          note: `Made smaller to fit the ${describeSize(limitBytes)} upload limit here (${describeSize(video.sizeBytes)} → ${describeSize(outcome.sizeBytes)})`,
        },
      };
    } catch (error) {
      this.#context.logger.warn(
        { err: error, jobId: job.id },
        "could not fit the video to the upload limit",
      );
      return link("ffmpeg could not make a smaller copy");
    }
  }

  async #probe(
    tools: MediaTools,
    job: Job,
    video: DeliverableVideo,
  ): Promise<VideoFacts | undefined> {
    try {
      return await probeVideo(tools, video.path);
    } catch (error) {
      this.#context.logger.warn({ err: error, jobId: job.id }, "could not read the finished video");
      return undefined;
    }
  }

  async #poster(
    tools: MediaTools | undefined,
    job: Job,
    video: DeliverableVideo,
    facts: VideoFacts | undefined,
  ): Promise<DeliverableVideo["poster"]> {
    const path = posterPathFor(video.path);
    const existing = await nonEmptyFileSize(path);
    if (existing !== undefined) return { path, sizeBytes: existing };
    if (!tools) return undefined;
    try {
      return { path, sizeBytes: await makePoster(tools, video.path, path, facts?.durationSeconds) };
    } catch (error) {
      this.#context.logger.warn({ err: error, jobId: job.id }, "could not make a poster frame");
      return undefined;
    }
  }
}
