import type { RESTOptions } from "discord.js";

/**
 * REST settings shared by the bot and the deploy script. Requests go through Node's own fetch:
 * @discordjs/rest would otherwise send multipart uploads through whatever undici dispatcher is
 * global, and the project's newer undici (loaded by the provider) refuses that FormData, so every
 * video upload would fail once the Oxen client is loaded.
 */
export function restOptions(apiUrl: string | undefined, retries?: number): Partial<RESTOptions> {
  return {
    api: apiUrl ?? "https://discord.com/api",
    makeRequest: (url, { dispatcher: _dispatcher, ...init }) =>
      fetch(url, init as unknown as RequestInit),
    ...(retries === undefined ? {} : { retries }),
  };
}
