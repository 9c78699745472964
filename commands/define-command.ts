import type { z } from "zod";
import type { GenerationRequestInput } from "../src/domain/generation-request.ts";
import { UserFacingError } from "../src/errors.ts";
import type { SpaceSettingsPatch } from "../src/settings/space-settings-service.ts";
import { describeRefusal } from "./option-refusals.ts";
import type { UsageScope } from "./usage.ts";

/** What a command asks the adapter to do, whichever platform it came from. */
export type CommandAction =
  /**
   * `private`: the card only for the requester, the video in a direct message (`JobOrigin.private`);
   * `takes`: that many independent generations of the request (`SubmitOptions.takes`).
   */
  | { kind: "generate"; request: GenerationRequestInput; private?: boolean; takes?: number }
  | { kind: "list-jobs" }
  | { kind: "cancel"; jobId: string }
  | { kind: "usage"; scope: UsageScope }
  /** An empty patch shows the space's settings; anything else changes them (admins only). */
  | { kind: "settings"; patch: SpaceSettingsPatch };

export interface CommandSpec<Options extends z.ZodObject> {
  /** Lowercase, as typed after the slash. */
  name: string;
  description: string;
  /** Changes are for the space's admins (Discord: Manage Server; Slack: workspace admins and owners). */
  manageSpace?: boolean;
  /** Each option's `.describe()` text is its help text; see `option-descriptors.ts`. */
  options: Options;
  handle: (options: z.output<Options>) => CommandAction;
}

/** A command as platforms see it: render its options, then run it with raw option values. */
export interface Command {
  readonly name: string;
  readonly description: string;
  readonly manageSpace: boolean;
  readonly options: z.ZodObject;
  /** Validates raw option values (from any platform) and turns them into an action. */
  run(raw: Readonly<Record<string, unknown>>): CommandAction;
}

export function defineCommand<Options extends z.ZodObject>(spec: CommandSpec<Options>): Command {
  return {
    name: spec.name,
    description: spec.description,
    manageSpace: spec.manageSpace === true,
    options: spec.options,
    run: (raw) => spec.handle(parseOptions(spec.options, raw, spec.name)),
  };
}

/**
 * Option values checked by the command's schema; a failure names the option, the value and what to
 * do in a user's words (`option-refusals.ts`), never the schema's own text.
 */
export function parseOptions<Options extends z.ZodObject>(
  schema: Options,
  raw: Readonly<Record<string, unknown>>,
  command: string,
): z.output<Options> {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value != null));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  throw new UserFacingError(describeRefusal(command, schema, present, result.error.issues), {
    field: String(result.error.issues[0]?.path[0] ?? "options"),
  });
}
