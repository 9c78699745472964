/** What the killable bot process is told at start (as JSON in its first argument). */
export interface KillableConfiguration {
  directory: string;
  baseUrl: string;
  apiKey: string;
  prompt: string;
  /**
   * "hang": the upload never finishes. "accepted": the platform takes the video, then the call
   * hangs. "record": the platform takes it and the call returns.
   */
  upload: "hang" | "accepted" | "record";
  /** MAX_VIDEO_BYTES, when the test needs a small one. */
  maxVideoBytes?: number;
}

/** Where an "accepted" upload is recorded: the platform's side, which outlives the process. */
export const platformLogName = "platform-deliveries.jsonl";
