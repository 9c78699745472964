import { z } from "zod";
import { defineCommand } from "./define-command.ts";
import { autocompleteOption } from "./option-descriptors.ts";

export const cancelCommand = defineCommand({
  name: "cancel",
  description: "Cancel one of your pending videos",
  options: z.object({
    job: autocompleteOption(
      "The job to cancel (start typing its prompt)",
      "the job to cancel: start typing its prompt after `/cancel job:`, or see your jobs and their ids with /jobs.",
    ),
  }),
  handle: (options) => ({ kind: "cancel", jobId: options.job.trim() }),
});
