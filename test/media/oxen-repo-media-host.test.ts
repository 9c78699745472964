import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/errors.ts";
import { createSilentLogger } from "../../src/logger.ts";
import {
  createOxenRepoMediaHost,
  type OxenRepoMediaHost,
  type OxenRepoMediaHostOptions,
} from "../../src/media/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { capturedLogger } from "./log-capture.ts";

const png = join(import.meta.dirname, "..", "fixtures", "media", "tiny.png");
const noWait = async () => undefined;

describe("Oxen repository media host", () => {
  let fake: FakeOxenServer;
  let directory: string;
  let clock: number;
  const hosts: OxenRepoMediaHost[] = [];

  function host(overrides: Partial<OxenRepoMediaHostOptions> = {}): OxenRepoMediaHost {
    const created = createOxenRepoMediaHost({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      repo: "bot/uploads",
      directory: join(directory, "media-oxen"),
      logger: createSilentLogger(),
      now: () => clock,
      retry: { sleep: noWait },
      ...overrides,
    });
    hosts.push(created);
    return created;
  }

  /** What the provider does: a plain GET, without any credentials. */
  async function fetchAsProvider(url: string) {
    const response = await request(url);
    return {
      status: response.statusCode,
      type: response.headers["content-type"],
      bytes: Buffer.from(await response.body.arrayBuffer()),
    };
  }

  beforeEach(async () => {
    fake = await startFakeOxenServer();
    directory = await mkdtemp(join(tmpdir(), "oxen-media-"));
    clock = Date.UTC(2026, 0, 1);
  });

  afterEach(async () => {
    for (const created of hosts.splice(0)) await created.stop();
    await fake.close();
    await rm(directory, { recursive: true, force: true });
  });

  it("commits the file under an unguessable path and the provider fetches the same bytes", async () => {
    const bytes = await readFile(png);
    const published = await host().publish(
      { bytes, contentType: "image/png", fileName: "cat.png" },
      { ttlMs: 60_000 },
    );
    expect(published.url).toMatch(
      new RegExp(
        `^${fake.baseUrl}/api/repos/bot/uploads/file/main/seedance-bot/[0-9a-f-]{36}/cat\\.png$`,
      ),
    );
    expect(published.expiresAt).toBe(clock + 60_000);
    const fetched = await fetchAsProvider(published.url);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toBe("image/png");
    expect(fetched.bytes.equals(bytes)).toBe(true);

    const upload = fake.requests.find((recorded) => recorded.method === "PUT");
    expect(upload?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(upload?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(fake.repoCommits).toEqual([
      expect.objectContaining({ method: "PUT", name: "seedance-bot", message: expect.any(String) }),
    ]);
    expect(fake.repoCommits[0]?.email).toContain("@");
    expect(published.url).not.toContain(fake.apiKey);
  });

  it("streams a file from disk and keeps an unsafe name out of the path", async () => {
    const published = await host().publish(
      { path: png, contentType: "image/png", fileName: "../../etc/ça va?.png" },
      { ttlMs: 60_000 },
    );
    expect(published.url).toMatch(/\/seedance-bot\/[0-9a-f-]{36}\/ca_va_\.png$/);
    const fetched = await fetchAsProvider(published.url);
    expect(fetched.bytes.equals(await readFile(png))).toBe(true);
  });

  it("release deletes the file with a commit, once, and a file already gone is fine", async () => {
    const created = host();
    const published = await created.publish(
      { bytes: await readFile(png), contentType: "image/png", fileName: "cat.png" },
      { ttlMs: 60_000 },
    );
    await Promise.all([published.release(), published.release()]);
    await published.release();
    expect(fake.repoFiles.size).toBe(0);
    const deletes = fake.requests.filter((recorded) => recorded.method === "DELETE");
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(fake.repoCommits.map((commit) => commit.method)).toEqual(["PUT", "DELETE"]);
    expect((await fetchAsProvider(published.url)).status).not.toBe(200);
    // Nothing is left to sweep.
    clock += 120_000;
    expect(await created.sweep()).toBe(0);
  });

  it("deletes what expired while the bot was down, at the next start", async () => {
    const first = host();
    const kept = await first.publish(
      { bytes: Buffer.from("kept"), contentType: "image/png", fileName: "kept.png" },
      { ttlMs: 3_600_000 },
    );
    await first.publish(
      { bytes: Buffer.from("gone"), contentType: "image/png", fileName: "gone.png" },
      { ttlMs: 60_000 },
    );
    await first.stop();
    expect(fake.repoFiles.size).toBe(2);

    clock += 120_000;
    await host().start();
    expect([...fake.repoFiles.keys()]).toEqual([`bot/uploads/${kept.url.split("/file/")[1]}`]);
    expect(await readdir(join(directory, "media-oxen"))).toHaveLength(1);
  });

  it("says which variable to fix when the repository is missing or the key is refused", async () => {
    const source = { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" };
    const missing = await host({ repo: "bot/missing" })
      .publish(source, { ttlMs: 60_000 })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ProviderError);
    expect(missing).toMatchObject({ statusCode: 404, retryable: false });
    expect((missing as Error).message).toContain("OXEN_MEDIA_REPO");

    const refused = await host({ apiKey: "wrong-key" })
      .publish(source, { ttlMs: 60_000 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 401, retryable: false });
    expect((refused as Error).message).toContain("OXEN_API_KEY");
    expect((refused as Error).message).not.toContain("wrong-key");
  });

  it("retries a hub hiccup, and reports one that lasts as retryable", async () => {
    const source = { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" };
    fake.failNext("PUT", /^\/api\/repos\//, 503);
    const published = await host().publish(source, { ttlMs: 60_000 });
    expect((await fetchAsProvider(published.url)).status).toBe(200);

    fake.failNext("PUT", /^\/api\/repos\//, 500, { times: 3 });
    await expect(host().publish(source, { ttlMs: 60_000 })).rejects.toMatchObject({
      name: "ProviderError",
      statusCode: 500,
      retryable: true,
    });
  });

  it("turns an unreachable hub into a retryable ProviderError", async () => {
    const error = await host({ baseUrl: "http://127.0.0.1:9" })
      .publish(
        { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" },
        { ttlMs: 60_000 },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true });
  });

  it("keeps expiry within one hour", async () => {
    const source = { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" };
    await expect(host().publish(source, { ttlMs: 3_600_001 })).rejects.toThrow(RangeError);
    expect(fake.requests).toHaveLength(0);
  });

  it("never logs the key or the file URL", async () => {
    const logs = capturedLogger();
    const created = host({ logger: logs.logger });
    const published = await created.publish(
      { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" },
      { ttlMs: 60_000 },
    );
    clock += 120_000;
    fake.failNext("DELETE", /^\/api\/repos\//, 403, { times: 3 });
    await created.sweep();
    expect(logs.lines().length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(fake.apiKey);
    expect(logs.text()).not.toContain(published.url.split("/seedance-bot/")[1]);
  });
});
