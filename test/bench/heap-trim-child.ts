// Run by scenario-heap-trim.ts (npm run bench) as `node --expose-gc`: a burst grows the heap, then the process goes quiet.
import { createLogger } from "../../src/logger.ts";
import { startHeapTrim } from "../../src/util/heap-trim.ts";

const logger = createLogger("info");
const trim = startHeapTrim({ logger, intervalMs: 250, schedule: { quietIntervals: 2 } });

let burst: object[] | undefined = [];
for (let index = 0; index < 1_500_000; index++) burst.push({ index, text: `job ${index}` });
burst = undefined;
(globalThis as { gc?: () => void }).gc?.();
const peak = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({ msg: "after the burst", rss: peak.rss, heapTotal: peak.heapTotal })}\n`,
);
setTimeout(() => {
  const quiet = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ msg: "quiet", rss: quiet.rss, heapTotal: quiet.heapTotal })}\n`,
  );
  trim.stop();
}, 2_000);
