import { z } from "zod";
import { defineCommand } from "./define-command.ts";
import { autocompleteOption } from "./option-descriptors.ts";

export const cancelCommand = defineCommand({
  name: "cancel",
  description: "Cancel one of your pending videos",
  options: z.object({ job: autocompleteOption("The job to cancel (start typing its prompt)") }),
  handle: (options) => ({ kind: "cancel", jobId: options.job.trim() }),
});
