import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { buffer } from "node:stream/consumers";
import { afterEach, describe, expect, it } from "vitest";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { ProviderError } from "../../../src/errors.ts";
import { UrlPolicyError } from "../../../src/http/http-errors.ts";
import {
  nextHop,
  openWithScopedAuth,
  sendsCredentials,
} from "../../../src/http/open-with-scoped-auth.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { captureLogs } from "./oxen-test-helpers.ts";

const tinyVideo = await readFile(new URL("../../fixtures/media/tiny.mp4", import.meta.url));

describe("Oxen result download", () => {
  let fake: FakeOxenServer;
  let provider: GenerationProvider;

  async function setUp(options: Parameters<typeof startFakeOxenServer>[0] = {}) {
    fake = await startFakeOxenServer(options);
    provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      // The fake's CDN is on loopback too: trusted, as OUTBOUND_ALLOWED_HOSTS would make it.
      trustedHosts: [fake.cdnBaseUrl],
      logger: captureLogs().logger,
    });
    const job = fake.addJob(oxenCatalog.text.standard.id);
    fake.complete(job.id, { emit: false });
    return fake.resultUrlFor(job.id);
  }

  afterEach(async () => {
    await provider.stop();
    await fake.close();
  });

  it("streams the video from the hub, sending the key there", async () => {
    const url = await setUp();
    const download = await provider.openResult(url);
    expect(download.contentType).toBe("video/mp4");
    expect(download.contentLength).toBe(tinyVideo.length);
    expect(await buffer(download.body)).toEqual(tinyVideo);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it("follows a redirect to the CDN without the key", async () => {
    const url = await setUp({ redirectResultsTo: "cdn" });
    const download = await provider.openResult(url);
    expect(await buffer(download.body)).toEqual(tinyVideo);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(fake.cdnRequests).toHaveLength(1);
    expect(fake.cdnRequests[0]?.headers.authorization).toBeUndefined();
  });

  it("fails with the status code when the link is gone, so a fresh one can be fetched", async () => {
    await setUp();
    const error = await provider
      .openResult(`${fake.baseUrl}/api/repos/test/outputs/file/main/expired.mp4`)
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ statusCode: 404, retryable: false });
  });

  it("refuses URLs that are not http(s)", async () => {
    await setUp();
    const error = await provider
      .openResult("file:///etc/passwd")
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    expect(fake.requests).toHaveLength(0);
  });

  it("never sends the key to another host, even one that redirects back", async () => {
    await setUp();
    const response = await openWithScopedAuth(`${fake.cdnBaseUrl}/files/unknown.mp4`, {
      authorizationHost: new URL(fake.baseUrl).host,
      authorizationProtocol: "http:",
      authorization: "Bearer secret",
    });
    await response.body.resume();
    expect(response.statusCode).toBe(404);
    expect(fake.cdnRequests[0]?.headers.authorization).toBeUndefined();
  });
});

describe("scoped credentials and redirects", () => {
  it("gives up after five redirects", async () => {
    let hits = 0;
    const loop = createServer((_request, response) => {
      hits++;
      response.writeHead(302, { location: `/again-${hits}` }).end();
    });
    await new Promise<void>((resolve) => loop.listen(0, "127.0.0.1", resolve));
    const { port } = loop.address() as AddressInfo;
    try {
      const error = await openWithScopedAuth(`http://127.0.0.1:${port}/start`, {
        authorizationHost: `127.0.0.1:${port}`,
        authorizationProtocol: "http:",
        authorization: "Bearer k",
      }).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(UrlPolicyError);
      expect(error).toMatchObject({ code: "TOO_MANY_REDIRECTS" });
      expect(hits).toBe(6);
    } finally {
      loop.closeAllConnections();
      await new Promise<void>((resolve) => loop.close(() => resolve()));
    }
  });

  const options = { authorizationHost: "hub.oxen.ai", authorization: "Bearer k" };

  it("sends credentials only to the same host over https", () => {
    expect(sendsCredentials(new URL("https://hub.oxen.ai/api/x"), options)).toBe(true);
    expect(sendsCredentials(new URL("http://hub.oxen.ai/api/x"), options)).toBe(false);
    expect(sendsCredentials(new URL("https://hub.oxen.ai.evil.example/x"), options)).toBe(false);
    expect(sendsCredentials(new URL("https://hub.oxen.ai:8443/x"), options)).toBe(false);
    expect(sendsCredentials(new URL("https://cdn.example/x"), options)).toBe(false);
  });

  it("refuses an https to http downgrade and non-http targets", () => {
    const from = new URL("https://hub.oxen.ai/file.mp4");
    expect(() => nextHop(from, "http://cdn.example/file.mp4")).toThrow(UrlPolicyError);
    expect(() => nextHop(from, "ftp://cdn.example/file.mp4")).toThrow(UrlPolicyError);
    expect(nextHop(from, "/other.mp4").href).toBe("https://hub.oxen.ai/other.mp4");
    expect(nextHop(new URL("http://a.example/x"), "https://b.example/y").href).toBe(
      "https://b.example/y",
    );
  });
});
