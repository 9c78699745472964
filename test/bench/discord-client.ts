import type { DiscordMethods } from "./discord-worker.ts";
import { startWorker } from "./worker-rpc.ts";

/** A fake Discord running in a worker thread. */
export async function startDiscord() {
  const worker = await startWorker<DiscordMethods>(new URL("./discord-worker.ts", import.meta.url));
  const info = await worker.call("info");
  return {
    ...info,
    call: worker.call,
    async close(): Promise<void> {
      await worker.call("close");
      await worker.terminate();
    },
  };
}

export type Discord = Awaited<ReturnType<typeof startDiscord>>;
