export {
  createDataUriMediaHost,
  type DataUriMediaHostOptions,
  defaultDataUriMaxBytes,
} from "./data-uri-media-host.ts";
export {
  ffmpegMissingReason,
  findMediaTools,
  type MediaTools,
  mediaToolsOnce,
} from "./ffmpeg-availability.ts";
export {
  createHttpMediaHost,
  type HttpMediaHost,
  type HttpMediaHostOptions,
} from "./http-media-host.ts";
export {
  linkExpiry,
  type MediaHost,
  type MediaSource,
  maxMediaTtlMs,
  type PublishedMedia,
} from "./media-host.ts";
export {
  type ConfiguredMediaHost,
  chooseMediaHost,
  type MediaHostChoice,
  type MediaHostKind,
  type MediaHostSettings,
  type MediaHostWiring,
  mediaHostFromConfig,
} from "./media-host-from-config.ts";
export {
  createOxenRepoMediaHost,
  type OxenRepoMediaHost,
  type OxenRepoMediaHostOptions,
} from "./oxen-repo-media-host.ts";
export { nonEmptyFileSize, posterPathFor } from "./poster-frame.ts";
export { createPosterLinks, type PosterLinks } from "./poster-links.ts";
export {
  createProviderUploadMediaHost,
  type ProviderUploadMediaHost,
  type ProviderUploadMediaHostOptions,
} from "./provider-upload-media-host.ts";
export { type SendFileOptions, sendFile } from "./send-file.ts";
export {
  createVideoLinks,
  type VideoLink,
  type VideoLinks,
  videoLinkLifetimeMs,
} from "./video-links.ts";
