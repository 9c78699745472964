export { type DeployCommandsOptions, deployCommands } from "./deploy-commands.ts";
export {
  createDiscordAdapter,
  type DiscordAdapter,
  type DiscordAdapterOptions,
} from "./discord-adapter.ts";
