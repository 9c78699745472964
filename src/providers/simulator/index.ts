export { escapeFilterValue, wrapCaption } from "./ffmpeg-filter.ts";
export { readPromptTriggers, simulatedFailures } from "./prompt-triggers.ts";
export { buildFfmpegArguments, detectFfmpeg, renderClip } from "./render-clip.ts";
export { lostJobMessage } from "./simulated-job.ts";
export {
  bundledSampleVideoPath,
  createSimulatorProvider,
  type SimulatorProviderOptions,
} from "./simulator-provider.ts";
