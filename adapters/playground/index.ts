export type { CardEntry, CardPhase, Entry } from "./entries.ts";
export {
  createPlaygroundAdapter,
  type PlaygroundAdapter,
  type PlaygroundAdapterOptions,
} from "./playground-adapter.ts";
