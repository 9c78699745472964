import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBotProcess } from "./bot-process.ts";
import { type Row, row } from "./report.ts";
import { mebibytes, milliseconds, percentile } from "./statistics.ts";

export interface HostilePlaygroundSettings {
  uploads: number;
  uploadBytes: number;
  streams: number;
  /** Messages posted (6,000 characters each) while the streams do not read. */
  messages: number;
}

const name = "7. Hostile playground";
const maxBufferedBytes = 1024 * 1024;

/** A PNG the bot accepts, `size` bytes long (header, filler, IEND). */
function png(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x41);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  Buffer.from("\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", "latin1").copy(bytes, 8);
  bytes.write("IEND", size - 8, "latin1");
  return bytes;
}

async function upload(baseUrl: string, bytes: Buffer): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/api/uploads`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "x-file-name": "frame.png" },
    body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  });
  return { status: response.status, text: await response.text() };
}

/** An event stream that reads its answer's head, then never another byte. */
async function stalledStream(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  socket.on("error", () => undefined);
  socket.write("GET /api/events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
  await once(socket, "data");
  socket.pause();
  return socket;
}

/** /healthz latencies sampled every 100 ms while `work` runs. */
async function healthWhile<T>(
  baseUrl: string,
  work: Promise<T>,
): Promise<{ result: T; ms: number[] }> {
  const ms: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${baseUrl}/healthz`).then((response) => response.arrayBuffer());
      ms.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return { result: await work, ms };
  } finally {
    done = true;
    await sampler;
  }
}

/**
 * Issue 12's attack on the playground, on the real bot process: `uploads` uploads of
 * `uploadBytes` at once (every cap raised so all stream together: the worst case), one more
 * past the quota, then `streams` event streams that never read while messages pour in.
 * Peak RSS is VmHWM over each phase; /healthz is sampled throughout.
 */
export async function runHostilePlayground(settings: HostilePlaygroundSettings) {
  const dataDirectory = mkdtempSync(join(tmpdir(), "seedance-bench-hostile-"));
  const quotaBytes = settings.uploads * settings.uploadBytes;
  const bot = await startBotProcess({
    PROVIDER: "simulator",
    PLAYGROUND: "true",
    DATA_DIR: dataDirectory,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    PLAYGROUND_UPLOAD_MAX_BYTES: String(settings.uploadBytes),
    PLAYGROUND_UPLOADS_PER_USER: String(settings.uploads),
    PLAYGROUND_UPLOADS_TOTAL: String(settings.uploads),
    PLAYGROUND_UPLOAD_QUOTA_BYTES: String(quotaBytes),
    PLAYGROUND_EVENT_STREAMS_PER_USER: String(settings.streams),
    PLAYGROUND_EVENT_STREAMS_TOTAL: String(settings.streams),
    PLAYGROUND_EVENTS_MAX_BUFFERED_BYTES: String(maxBufferedBytes),
  });
  const rows: Row[] = [];
  const sockets: Socket[] = [];
  try {
    await bot.ready();
    const idle = bot.sample().rssBytes;
    const body = png(settings.uploadBytes);

    bot.resetPeak();
    const uploads = await healthWhile(
      bot.baseUrl,
      Promise.all(Array.from({ length: settings.uploads }, () => upload(bot.baseUrl, body))),
    );
    const uploadPeak = bot.sample().peakRssBytes;
    const accepted = uploads.result.filter((answer) => answer.status === 201).length;
    const overQuota = await upload(bot.baseUrl, body);

    bot.resetPeak();
    const port = Number(new URL(bot.baseUrl).port);
    for (let index = 0; index < settings.streams; index++) sockets.push(await stalledStream(port));
    const text = "x".repeat(6000);
    const flood = async () => {
      for (let index = 0; index < settings.messages; index += 20) {
        await Promise.all(
          Array.from({ length: 20 }, (_, offset) =>
            fetch(`${bot.baseUrl}/api/messages`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({
                clientRequestId: `hostile-${index + offset}`,
                threadId: "hostile-thread",
                text,
              }),
            }).then((response) => response.arrayBuffer()),
          ),
        );
      }
    };
    const streams = await healthWhile(bot.baseUrl, flood());
    const streamPeak = bot.sample().peakRssBytes;
    // Every place was taken by a stalled stream: a new one gets in only if the bot dropped some.
    const probe = connect(port, "127.0.0.1");
    sockets.push(probe);
    await once(probe, "connect");
    probe.write("GET /api/events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    const [head] = (await once(probe, "data")) as [Buffer];
    const freed = / 200 /.test(String(head).split("\r\n")[0] ?? "");
    const ceiling = 1024 ** 3;
    rows.push(
      row(name, "idle RSS before", mebibytes(idle)),
      row(
        name,
        `peak RSS, ${settings.uploads} × ${mebibytes(settings.uploadBytes)} uploads at once`,
        mebibytes(uploadPeak),
        `< ${mebibytes(ceiling)}`,
        uploadPeak < ceiling,
      ),
      row(name, "uploads accepted", `${accepted} of ${settings.uploads}`),
      row(
        name,
        "one more past the quota",
        `${overQuota.status} ${overQuota.text.includes("PLAYGROUND_UPLOAD_QUOTA_BYTES") ? "naming PLAYGROUND_UPLOAD_QUOTA_BYTES" : overQuota.text.slice(0, 60)}`,
        "507",
        overQuota.status === 507,
      ),
      row(
        name,
        `peak RSS, ${settings.streams} streams not reading, ${settings.messages} messages`,
        mebibytes(streamPeak),
        `< ${mebibytes(ceiling)}`,
        streamPeak < ceiling,
      ),
      row(
        name,
        "a new stream gets in after the flood (stalled ones dropped)",
        freed ? "yes" : "no",
        "yes",
        freed,
      ),
      row(
        name,
        "/healthz p50 / max during the uploads",
        `${milliseconds(percentile(uploads.ms, 0.5))} / ${milliseconds(Math.max(...uploads.ms))}`,
      ),
      row(
        name,
        "/healthz p50 / max during the flood",
        `${milliseconds(percentile(streams.ms, 0.5))} / ${milliseconds(Math.max(...streams.ms))}`,
      ),
    );
    return {
      rows,
      data: {
        idle,
        uploadPeak,
        accepted,
        overQuota: overQuota.status,
        streamPeak,
        freed,
        healthDuringUploads: uploads.ms,
        healthDuringFlood: streams.ms,
      },
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    await bot.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
