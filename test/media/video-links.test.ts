import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { createVideoLinks, type VideoLinks, videoLinkLifetimeMs } from "../../src/media/index.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import { tamperedSignature } from "../support/tampered-signature.ts";

const secret = "a-media-signing-secret-of-32-chars!";
const video = join(import.meta.dirname, "..", "fixtures", "media", "tiny.mp4");
const hour = 60 * 60_000;

describe("links to finished videos (a week, signed, served from the kept video)", () => {
  let server: HttpServer;
  let links: VideoLinks;
  let baseUrl: string;
  let clock: number;

  beforeEach(async () => {
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    baseUrl = `http://127.0.0.1:${address.port}`;
    clock = Date.UTC(2026, 0, 1);
    links = createVideoLinks({
      server,
      secret,
      publicBaseUrl: `${baseUrl}/`,
      videoOf: async (jobId) =>
        jobId === "job-1" ? { path: video, fileName: "seedance-job-1.mp4" } : undefined,
      now: () => clock,
    });
  });

  afterEach(async () => {
    await server.close();
  });

  async function get(url: string, method: "GET" | "HEAD" = "GET") {
    const response = await request(url, { method });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: Buffer.from(await response.body.arrayBuffer()),
    };
  }

  it("the video's bytes, as a download, for a week: still there after six days and 23 hours", async () => {
    const link = links.linkFor("job-1");
    expect(link.expiresAt).toBe(clock + videoLinkLifetimeMs);
    expect(link.url).toMatch(
      new RegExp(`^${baseUrl}/videos/job-1\\?expires=\\d+&signature=[0-9a-f]{64}$`),
    );
    const bytes = await readFile(video);
    clock += videoLinkLifetimeMs - hour;
    const answer = await get(link.url);
    expect(answer.status).toBe(200);
    expect(answer.body.equals(bytes)).toBe(true);
    expect(answer.headers["content-type"]).toBe("video/mp4");
    expect(answer.headers["content-disposition"]).toBe('attachment; filename="seedance-job-1.mp4"');
    expect((await get(link.url, "HEAD")).status).toBe(200);
  });

  it("links still expire: 410 with a sentence once the week is over", async () => {
    const link = links.linkFor("job-1");
    clock += videoLinkLifetimeMs;
    const answer = await get(link.url);
    expect(answer.status).toBe(410);
    expect(answer.body.toString()).toMatch(/expired/);
  });

  it("a changed signature, expiry or job is forbidden; a job without its video is gone", async () => {
    const link = links.linkFor("job-1");
    expect((await get(tamperedSignature(link.url))).status).toBe(403);
    const later = new URL(link.url);
    later.searchParams.set("expires", String(Number(later.searchParams.get("expires")) + 1));
    expect((await get(later.href)).status).toBe(403);
    expect((await get(link.url.replace("/job-1?", "/job-2?"))).status).toBe(403);
    expect((await get(`${baseUrl}/videos/job-1`)).status).toBe(403);
    const other = links.linkFor("job-2");
    expect((await get(other.url)).status).toBe(410);
  });
});
