/**
 * The bot's playground API, used as a fast real entry point: `POST /api/messages` is the same
 * request path a person's browser takes, and `GET /api/events` is the stream the page listens on.
 */
const now = () => performance.timeOrigin + performance.now();

/** Sends `/video <prefix>-<n> …` messages, `concurrency` at a time; returns each answer's latency (ms). */
export async function sendVideoMessages(
  baseUrl: string,
  prefix: string,
  range: { from: number; to: number },
  concurrency: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = range.from;
  const worker = async () => {
    while (next < range.to) {
      const index = next++;
      const started = now();
      const response = await fetch(`${baseUrl}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          clientRequestId: `${prefix}-request-${index}`,
          threadId: `${prefix}-thread-${index % 100}`,
          text: `/video ${prefix}-${index} a paper boat drifting at dawn --dur 4`,
        }),
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`message ${index}: ${response.status} ${text}`);
      latencies.push(now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

/**
 * Listens to the playground's event stream and notes when each job's card first carried its video
 * (the playground's delivery), by the `<prefix>-<n>` tag of its prompt.
 */
export async function watchDeliveries(baseUrl: string, prefix: string) {
  const delivered = new Map<string, number>();
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/events`, { signal: controller.signal });
  const pattern = new RegExp(`^(${prefix}-\\d+)`);
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error("no event stream");
  const reading = (async () => {
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end = buffer.indexOf("\n\n");
      while (end !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (!frame.startsWith("event: entry\n")) continue;
        const entry = JSON.parse(frame.slice(frame.indexOf("data: ") + 6)) as {
          kind?: string;
          prompt?: string;
          videoUrl?: string;
        };
        const key =
          entry.kind === "card" && entry.videoUrl
            ? pattern.exec(entry.prompt ?? "")?.[1]
            : undefined;
        if (key && !delivered.has(key)) delivered.set(key, now());
      }
    }
  })();
  return {
    delivered,
    async close(): Promise<void> {
      controller.abort();
      await reading;
    },
  };
}
