export {
  createHttpMediaHost,
  type HttpMediaHost,
  type HttpMediaHostOptions,
} from "./http-media-host.ts";
export {
  type MediaHost,
  type MediaSource,
  maxMediaTtlMs,
  type PublishedMedia,
} from "./media-host.ts";
export { type SendFileOptions, sendFile } from "./send-file.ts";
