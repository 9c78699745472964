import { readFile } from "node:fs/promises";
import { bundledSampleVideoPath } from "../../../src/providers/simulator/index.ts";
import { chatAdapterContract } from "../../contracts/chat-adapter.contract.ts";
import { clientId, PlaygroundClient } from "./playground-client.ts";
import { startPlaygroundStack } from "./playground-stack.ts";

chatAdapterContract({
  name: "playground",
  async setup({ providerDelayMs }) {
    const stack = await startPlaygroundStack({ delayMs: providerDelayMs });
    const client = new PlaygroundClient(stack.baseUrl);
    const events = await client.events();
    const expectedVideoBytes = await readFile(bundledSampleVideoPath);
    return {
      expectedVideoBytes,
      newThread: async () => clientId(),
      async requestVideo(threadId, prompt) {
        await client.sendMessage(threadId, `/video ${prompt}`);
      },
      async react(_threadId, jobId, action) {
        const emoji = action === "regenerate" ? "🔁" : "❌";
        await client.post("/api/reactions", { clientRequestId: clientId(), jobId, emoji });
      },
      async view(threadId) {
        const cards = events.cards(threadId);
        const videos = await Promise.all(
          cards
            .filter((card) => card.videoUrl)
            .map(async (card) => ({
              jobId: card.jobId,
              bytes: (await client.bytes(card.videoUrl ?? "")).bytes,
            })),
        );
        return {
          cards: cards.map((card) => ({
            jobId: card.jobId,
            phases: (events.phases.get(card.jobId) ?? []).filter((phase) => phase !== "finishing"),
            ...(card.error ? { error: card.error } : {}),
          })),
          videos,
          errors: events
            .inThread(threadId)
            .flatMap((entry) => (entry.kind === "error" ? [entry.text] : [])),
        };
      },
      providerSubmissions: stack.submissions,
      async close() {
        events.close();
        await stack.close();
      },
    };
  },
});
