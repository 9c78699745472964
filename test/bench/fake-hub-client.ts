import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { HubCommand } from "./fake-hub-worker.ts";

export interface RequestSummary {
  method: string;
  pathname: string;
}

/** Talks to the fake hub running in a worker thread. */
export async function startHubWorker() {
  const worker = new Worker(new URL("./fake-hub-worker.ts", import.meta.url));
  const [ready] = (await once(worker, "message")) as [{ baseUrl: string; apiKey: string }];
  const send = (command: HubCommand) => worker.postMessage(command);
  return {
    baseUrl: ready.baseUrl,
    apiKey: ready.apiKey,
    complete: (ids: string[]) => send({ type: "complete", ids }),
    dropStreams: () => send({ type: "dropStreams" }),
    async requests(): Promise<{ requests: RequestSummary[]; sseClients: number }> {
      send({ type: "requests" });
      const [reply] = (await once(worker, "message")) as [
        { requests: RequestSummary[]; sseClients: number },
      ];
      return reply;
    },
    async close(): Promise<void> {
      send({ type: "close" });
      await once(worker, "message");
      await worker.terminate();
    },
  };
}
