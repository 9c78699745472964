import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { createPosterLinks, findMediaTools, posterPathFor } from "../../src/media/index.ts";
import { makePoster } from "../../src/media/poster-frame.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import { makeTestVideo } from "../support/test-videos.ts";

const secret = "a-media-signing-secret-of-32-chars!";
let directory = "";
let videoPath = "";

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "posters-"));
  videoPath = join(directory, "job-1.mp4");
  await makeTestVideo(videoPath, { seconds: 3 });
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("poster frames", () => {
  it("are a JPEG beside the video, served by a signed link that expires", async () => {
    const tools = await findMediaTools();
    if (!tools) throw new Error("these tests need ffmpeg and ffprobe on PATH");
    const posterPath = posterPathFor(videoPath);
    expect(posterPath).toBe(join(directory, "job-1.jpg"));
    await makePoster(tools, videoPath, posterPath, 3);
    const bytes = await readFile(posterPath);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    const server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    let clock = Date.UTC(2026, 0, 1);
    const links = createPosterLinks({
      server,
      secret,
      publicBaseUrl: `http://127.0.0.1:${address.port}`,
      posterOf: async (jobId) => (jobId === "job-1" ? posterPath : undefined),
      now: () => clock,
    });
    try {
      const link = links.linkFor("job-1");
      expect(link.url).toMatch(/\/posters\/job-1\?expires=\d+&signature=[0-9a-f]{64}$/);
      const served = await request(link.url);
      expect(served.statusCode).toBe(200);
      expect(served.headers["content-type"]).toBe("image/jpeg");
      expect(Buffer.from(await served.body.arrayBuffer())).toEqual(bytes);
      const forged = await request(link.url.replace("job-1", "job-2"));
      expect(forged.statusCode).toBe(403);
      await forged.body.dump();
      clock += 8 * 24 * 60 * 60_000;
      const expired = await request(link.url);
      expect(expired.statusCode).toBe(410);
      await expired.body.dump();
    } finally {
      await server.close();
    }
  });
});
