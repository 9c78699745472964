import { type Row, row } from "./report.ts";
import { startStack } from "./stack.ts";
import { mebibytes, milliseconds, percentile, waitFor } from "./statistics.ts";

export interface TransferSettings {
  videos: number;
  videoBytes: number;
  /** Discord's upload limit the interactions carry (the fake's default is 10 MiB). */
  uploadLimitBytes: number;
}

const name = "4. Transfer";
const rate = (bytes: number, milliseconds: number) =>
  `${(bytes / 1024 ** 2 / (milliseconds / 1000)).toFixed(0)} MiB/s`;

/** One plain multipart upload of `bytes` to the fake Discord, as tagged `single-<n>`. */
async function uploadOnce(
  apiUrl: string,
  channelId: string,
  index: number,
  bytes: Buffer,
): Promise<void> {
  const form = new FormData();
  form.append("payload_json", JSON.stringify({ content: `single-${index} one stream` }));
  form.append("files[0]", new Blob([new Uint8Array(bytes)], { type: "video/mp4" }), "single.mp4");
  const response = await fetch(`${apiUrl}/v10/channels/${channelId}/messages`, {
    method: "POST",
    headers: { authorization: "Bot bench" },
    body: form,
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`single-stream upload: ${response.status}`);
}

/** The same bytes as one raw POST to a server that only counts them (no multipart parsing). */
async function postRaw(sinkUrl: string, bytes: Buffer): Promise<void> {
  const response = await fetch(sinkUrl, { method: "POST", body: new Uint8Array(bytes) });
  await response.arrayBuffer();
}

/**
 * Videos of several MiB delivered at once, each to its own thread (Discord's client runs one request
 * at a time per channel). Throughput is the bytes posted over the span from the first upload's first
 * byte to the last one's end, both as the fake Discord saw them; the single-stream rate is one
 * plain upload of the same size to the same server, in the same run. Peak memory is VmHWM.
 */
export async function runTransfer(settings: TransferSettings) {
  const stack = await startStack({ threads: settings.videos, videoBytes: settings.videoBytes });
  const { hub, discord, bot } = stack;
  const rows: Row[] = [];
  try {
    await discord.call("burst", "xfer", settings.videos, 0, stack.threadIds);
    await waitFor(async () => (await discord.call("cards", "xfer")) >= settings.videos, 30_000);
    const ids = await hub.call("pendingIds", "xfer");

    const sample = Buffer.alloc(settings.videoBytes, 7);
    for (let index = 0; index < 3; index++)
      await uploadOnce(discord.apiUrl, discord.channelId, index, sample);
    const singles = (await discord.call("uploads", "single")).map((upload) => ({
      bytes: upload.bytes,
      milliseconds: upload.receivedAt - upload.startedAt,
    }));
    const singleRates = singles.map((single) => single.bytes / single.milliseconds);
    const singleRate = percentile(singleRates, 0.5);
    for (let index = 0; index < 3; index++) await postRaw(discord.sinkUrl, sample);
    const rawRates = (await discord.call("sinkReceipts")).map(
      (receipt) => receipt.bytes / (receipt.receivedAt - receipt.startedAt),
    );
    const rawRate = percentile(rawRates, 0.5);
    await discord.call("forgetFiles");

    await bot.heap();
    const before = bot.sample();
    bot.resetPeak();
    const fired = new Map(await hub.call("completeSpread", ids, 0));
    const done = await waitFor(
      async () => (await discord.call("uploads", "xfer")).length >= ids.length,
      120_000,
      20,
    );
    const after = bot.sample();
    const uploads = await discord.call("uploads", "xfer");
    const bytes = uploads.reduce((sum, upload) => sum + upload.bytes, 0);
    const firstByte = Math.min(...uploads.map((upload) => upload.startedAt));
    const lastByte = Math.max(...uploads.map((upload) => upload.receivedAt));
    const completedAt = Math.min(...fired.values());
    const throughput = bytes / (lastByte - firstByte);
    const growth = Math.max(0, after.peakRssBytes - before.rssBytes);
    const perTransfer = growth / settings.videos;
    const size = mebibytes(settings.videoBytes);
    rows.push(
      row(
        name,
        `loopback single stream: one ${size} upload to the same fake Discord (median of 3)`,
        rate(singleRate * 1000, 1000),
      ),
      row(
        name,
        `loopback single stream: one raw ${size} POST to a discarding server (median of 3)`,
        rate(rawRate * 1000, 1000),
      ),
      row(
        name,
        `${settings.videos} × ${size} posted concurrently by the bot: aggregate rate`,
        done
          ? `${rate(bytes, lastByte - firstByte)} (${((throughput / singleRate) * 100).toFixed(0)} % / ${((throughput / rawRate) * 100).toFixed(0)} %)`
          : `${uploads.length} of ${ids.length} within 120 s`,
        "≥ 50 % of the single stream to the same server",
        done && throughput / singleRate >= 0.5,
      ),
      row(
        name,
        "completion → last video posted (download, save, upload)",
        done ? milliseconds(lastByte - completedAt) : "—",
      ),
      row(
        name,
        "peak RSS above the idle bot during the transfers",
        `${mebibytes(growth)} (${mebibytes(perTransfer)} per transfer)`,
        `≤ ${mebibytes(settings.uploadLimitBytes)} per transfer`,
        perTransfer <= settings.uploadLimitBytes,
      ),
    );
    return {
      rows,
      data: {
        ...settings,
        singleRatesBytesPerMs: singleRates,
        rawRatesBytesPerMs: rawRates,
        bytes,
        spanMs: lastByte - firstByte,
        completionToLastMs: lastByte - completedAt,
        rssBefore: before.rssBytes,
        peakRss: after.peakRssBytes,
      },
    };
  } finally {
    await stack.close();
  }
}
