import type { HubMethods } from "./hub-worker.ts";
import { startWorker } from "./worker-rpc.ts";

/** A fake Oxen hub running in a worker thread; `videoBytes` sets the size of every result file. */
export async function startHub(options: { videoBytes?: number } = {}) {
  const worker = await startWorker<HubMethods>(
    new URL("./hub-worker.ts", import.meta.url),
    options,
  );
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

export type Hub = Awaited<ReturnType<typeof startHub>>;
