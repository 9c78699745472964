import { z } from "zod";
import { defineCommand } from "./define-command.ts";

export const jobsCommand = defineCommand({
  name: "jobs",
  description: "Your pending and recent videos",
  options: z.object({}),
  handle: () => ({ kind: "list-jobs" }),
});
