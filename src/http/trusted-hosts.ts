import type { Config } from "../config.ts";

/** Discord's attachment hosts: public, listed so their links need no name lookup at submit. */
const discordFileHosts = ["cdn.discordapp.com", "media.discordapp.net"];
const slackFileHost = "files.slack.com";

/**
 * The hosts outbound connections may reach on any address, from the configuration: the chosen
 * provider's API (and its files API, and the Oxen hub when it holds inputs), the chat
 * platforms' APIs and file hosts, and OUTBOUND_ALLOWED_HOSTS. Everything else must be public.
 */
export function trustedHostsOf(config: Config): string[] {
  const hosts: string[] = [...config.outbound.allowedHosts];
  if (config.provider === "oxen" || config.media.oxenRepo) hosts.push(config.oxen.baseUrl);
  if (config.provider === "aihubmax") hosts.push(config.aihubmax.baseUrl);
  if (config.provider === "evolink") {
    hosts.push(config.evolink.baseUrl, config.evolink.filesBaseUrl);
  }
  if (config.provider === "fal") hosts.push(config.fal.queueUrl, config.fal.storageUrl);
  if (config.provider === "byteplus") hosts.push(config.byteplus.baseUrl);
  if (config.discord) hosts.push(config.discord.apiUrl, ...discordFileHosts);
  if (config.slack) hosts.push(config.slack.apiUrl, slackFileHost);
  return hosts;
}
