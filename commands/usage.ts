import { z } from "zod";
import { defineCommand } from "./define-command.ts";

export const usageScopes = ["me", "server"] as const;
export type UsageScope = (typeof usageScopes)[number];

export const usageCommand = defineCommand({
  name: "usage",
  description: "Video seconds and spend today against the daily budget: yours, or the server's",
  options: z.object({
    scope: z
      .enum(usageScopes)
      .default("me")
      .describe("me: your own usage (default); server: the whole server's (admins only)"),
  }),
  handle: (options) => ({ kind: "usage", scope: options.scope }),
});
