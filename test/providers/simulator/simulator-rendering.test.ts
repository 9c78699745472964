import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import type { ProviderUpdate } from "../../../src/providers/generation-provider.ts";
import {
  bundledSampleVideoPath,
  createSimulatorProvider,
  detectFfmpeg,
} from "../../../src/providers/simulator/index.ts";
import { readAll, submitInput } from "./simulator-harness.ts";

const ffmpeg = await detectFfmpeg();
const fixture = new URL("../../fixtures/media/tiny.png", import.meta.url);

describe.skipIf(ffmpeg === null)("simulator provider: rendering with a real ffmpeg", () => {
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), "simulator-render-"));
  });

  afterAll(async () => {
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it("renders a clip per request: a zooming picture, and a caption full of filter syntax", async () => {
    const finished = new Map<string, (update: ProviderUpdate) => void>();
    const provider = createSimulatorProvider({
      delayMs: 0,
      dataDirectory,
      logger: createSilentLogger(),
    });
    await provider.start({
      onUpdate: (update) => {
        if (update.state !== "running") finished.get(update.providerJobId)?.(update);
      },
      onConnected: () => {},
      onDisconnected: () => {},
    });
    const picture = `data:image/png;base64,${(await readFile(fixture)).toString("base64")}`;
    const requests = [
      {
        mode: "image" as const,
        prompt: "the boat drifts away",
        startImage: { url: picture, contentType: "image/png" },
        duration: 4,
        aspectRatio: "1:1" as const,
        generateAudio: false,
      },
      {
        mode: "text" as const,
        prompt: String.raw`It's 100% "quoted": [a, b]; c\d %{pts} — café`,
        duration: 4,
      },
    ];
    const sample = await readFile(bundledSampleVideoPath);

    for (const request of requests) {
      const { providerJobId } = await provider.submit(submitInput(request));
      const update = await new Promise<ProviderUpdate>((resolve) =>
        finished.set(providerJobId, resolve),
      );
      expect(update.state).toBe("succeeded");
      const bytes = await readAll((await provider.openResult(update.resultUrl ?? "")).body);
      expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
      expect(bytes.equals(sample)).toBe(false);
    }

    // Only the rendered clips remain: the decoded picture was a scratch file.
    // The job ledger stays beside them, so the jobs outlive a restart.
    const files = (await readdir(dataDirectory)).filter((name) => name !== "jobs.jsonl");
    expect(files.sort()).toEqual(files.filter((name) => name.endsWith(".mp4")).sort());
    expect(files).toHaveLength(2);
    await provider.stop();
  });
});
