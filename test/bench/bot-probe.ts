/**
 * Preloaded into the bot by the benchmark (`node --expose-gc --import …/bot-probe.ts src/main.ts`):
 * answers "measure" over the IPC channel with the heap after two full collections, and stops the bot
 * (SIGTERM, its normal shutdown) if the benchmark goes away. Without an IPC channel it does nothing.
 */
const collect = (globalThis as { gc?: () => void }).gc;

if (process.send) {
  process.on("message", (message: { type?: string; id?: number }) => {
    if (message?.type !== "measure") return;
    collect?.();
    collect?.();
    const memory = process.memoryUsage();
    process.send?.({ type: "measured", id: message.id, memory, collected: collect !== undefined });
  });
  process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));
  // The channel must not keep a stopping bot alive.
  process.channel?.unref();
}
