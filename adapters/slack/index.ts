export { buildSlackManifest, type ManifestOptions } from "./manifest.ts";
export {
  createSlackAdapter,
  type SlackAdapter,
  type SlackAdapterOptions,
} from "./slack-adapter.ts";
