import type { RESTOptions } from "discord.js";

/** Told about every REST answer: its status, or undefined when no answer came (network error). */
export type ResponseObserver = (url: string, status: number | undefined) => void;

/**
 * REST settings shared by the bot and the deploy script. Requests go through Node's own fetch:
 * @discordjs/rest would otherwise send multipart uploads through whatever undici dispatcher is
 * global, and the project's newer undici (loaded by the provider) refuses that FormData, so every
 * video upload would fail once the Oxen client is loaded.
 */
export function restOptions(
  apiUrl: string | undefined,
  retries?: number,
  observe?: ResponseObserver,
): Partial<RESTOptions> {
  return {
    api: apiUrl ?? "https://discord.com/api",
    makeRequest: async (url, { dispatcher: _dispatcher, ...init }) => {
      try {
        const response = await fetch(url, init as unknown as RequestInit);
        observe?.(url, response.status);
        return response;
      } catch (error) {
        observe?.(url, undefined);
        throw error;
      }
    },
    ...(retries === undefined ? {} : { retries }),
  };
}
