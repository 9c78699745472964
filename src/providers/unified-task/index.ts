export type { CallbackOutcome, CallbackRoute } from "./unified-task-callback.ts";
export {
  type UnifiedTaskDialect,
  type UnifiedTaskDialectName,
  unifiedTaskDialectNames,
  unifiedTaskDialects,
} from "./unified-task-dialects.ts";
export type { PollTiming } from "./unified-task-poll-timing.ts";
export {
  createUnifiedTaskProvider,
  type UnifiedTaskProvider,
  type UnifiedTaskProviderOptions,
} from "./unified-task-provider.ts";
