import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type APIApplication, REST, Routes } from "discord.js";
import { commands, messageActions } from "../../commands/index.ts";
import type { Logger } from "../../src/logger.ts";
import { renderCommands } from "./render-commands.ts";
import { restOptions } from "./rest-options.ts";

export interface DeployCommandsOptions {
  /** DISCORD_TOKEN. */
  token: string;
  /** DISCORD_GUILD_ID: register to one server (instant, for development); globally when absent. */
  guildId?: string | undefined;
  /** Looked up from the token when absent. */
  applicationId?: string | undefined;
  /** DISCORD_API_URL. */
  apiUrl?: string | undefined;
  /** Where the hash of the last registered JSON is kept, e.g. DATA_DIR/discord-commands.sha256. */
  stateFile: string;
  /** Register even when nothing changed. */
  force?: boolean;
  logger: Logger;
}

export type DeployOutcome = { status: "unchanged" | "deployed"; scope: string; count: number };

/**
 * Registers the slash commands and the Animate menu with one bulk overwrite, only when the JSON
 * (or where it goes) changed since last time, to stay clear of Discord's daily create limit.
 */
export async function deployCommands(options: DeployCommandsOptions): Promise<DeployOutcome> {
  const body = renderCommands(commands, messageActions);
  const rest = new REST(restOptions(options.apiUrl, 1)).setToken(options.token);
  const applicationId =
    options.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const scope = options.guildId ? `guild ${options.guildId}` : "global";
  const hash = createHash("sha256")
    .update(JSON.stringify({ applicationId, scope, body }))
    .digest("hex");
  const previous = await readFile(options.stateFile, "utf8").catch(() => "");
  if (previous.trim() === hash && !options.force) {
    options.logger.info({ scope, count: body.length }, "commands unchanged; nothing registered");
    return { status: "unchanged", scope, count: body.length };
  }
  const route = options.guildId
    ? Routes.applicationGuildCommands(applicationId, options.guildId)
    : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  await mkdir(dirname(options.stateFile), { recursive: true });
  await writeFile(options.stateFile, `${hash}\n`);
  options.logger.info({ scope, count: body.length }, "commands registered");
  return { status: "deployed", scope, count: body.length };
}
