import { parentPort } from "node:worker_threads";
import { startFakeOxenServer } from "../fakes/fake-oxen-server.ts";

/** The fake hub in its own thread (own heap), so the benchmark's heap numbers are the bot's alone. */
export type HubCommand =
  | { type: "complete"; ids: string[] }
  | { type: "dropStreams" }
  | { type: "requests" }
  | { type: "close" };

const fake = await startFakeOxenServer();
const port = parentPort;
if (!port) throw new Error("run me as a worker");
port.postMessage({ type: "ready", baseUrl: fake.baseUrl, apiKey: fake.apiKey });
port.on("message", async (command: HubCommand) => {
  if (command.type === "complete") for (const id of command.ids) fake.complete(id);
  if (command.type === "dropStreams") fake.dropStreams();
  if (command.type === "requests") {
    const requests = fake.requests.map((request) => ({
      method: request.method,
      pathname: request.pathname,
    }));
    port.postMessage({ type: "requests", requests, sseClients: fake.sseClientCount() });
  }
  if (command.type === "close") {
    await fake.close();
    port.postMessage({ type: "closed" });
    port.close();
  }
});
