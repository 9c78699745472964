/** What a prompt asks the simulator to rehearse: `[fail]`, `[fail:face]`, `[slow]` (any case). */
export interface PromptTriggers {
  failure: "none" | "provider" | "face";
  slow: boolean;
  /** The prompt without its triggers, for the rendered caption. */
  caption: string;
}

const triggerPattern = /\[(fail:face|fail|slow)\]/gi;

export function readPromptTriggers(prompt: string): PromptTriggers {
  const found = new Set(
    [...prompt.matchAll(triggerPattern)].map((match) => match[1]?.toLowerCase()),
  );
  return {
    failure: found.has("fail:face") ? "face" : found.has("fail") ? "provider" : "none",
    slow: found.has("slow"),
    caption: prompt.replace(triggerPattern, " ").replace(/\s+/g, " ").trim(),
  };
}

/** Failure reasons worded like the provider's, and marked as simulated. */
export const simulatedFailures = {
  provider:
    "InternalServiceError: the generation service hit an unexpected error (simulated: the prompt contains [fail]).",
  face: "InputImageSensitiveContentDetected.PrivacyInformation: the content filter blocked this request because the input may contain a real human face (simulated: the prompt contains [fail:face]).",
  random: [
    "InternalServiceError: the generation service hit an unexpected error (simulated random failure).",
    "OutputVideoSensitiveContentDetected: the generated video was blocked by the content filter; rephrase the prompt (simulated random failure).",
    "ServerOverloaded: the model is busy; try again in a few minutes (simulated random failure).",
  ],
} as const;

/** The failure a new job will end with, if any: triggers first, then the failure rate. */
export function chooseFailure(
  triggers: PromptTriggers,
  failureRate: number,
  random: () => number,
): string | undefined {
  if (triggers.failure === "face") return simulatedFailures.face;
  if (triggers.failure === "provider") return simulatedFailures.provider;
  if (failureRate <= 0 || random() >= failureRate) return undefined;
  const reasons = simulatedFailures.random;
  const index = Math.min(reasons.length - 1, Math.floor(random() * reasons.length));
  return reasons[index];
}
