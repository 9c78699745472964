import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserFacingError } from "../../src/errors.ts";
import { OutboundGuard } from "../../src/http/outbound-guard.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { startLoopbackTrap } from "../inputs/support/loopback-trap.ts";
import { RecordingChatAdapter } from "../support/recording-chat-adapter.ts";
import { origin } from "../support/service-harness.ts";
import { tableLookup } from "./support/table-lookup.ts";

let fake: FakeOxenServer;
let trap: Awaited<ReturnType<typeof startLoopbackTrap>>;
let service: GenerationService;
let store: ReturnType<typeof openSqliteJobStore>;
let directory: string;
const platformFiles = "http://127.0.0.1:1/cdn";

beforeAll(async () => {
  fake = await startFakeOxenServer();
  trap = await startLoopbackTrap();
  directory = mkdtempSync(join(tmpdir(), "seedance-input-links-"));
  store = openSqliteJobStore({ path: join(directory, "jobs.sqlite") });
  // As src/main.ts wires it: the guard trusts the platforms' file hosts (here a loopback one).
  const inputLinkGuard = new OutboundGuard({
    trustedHosts: [fake.baseUrl, platformFiles],
    lookup: tableLookup({
      localhost: ["127.0.0.1"],
      "files.internal.test": ["10.0.0.7"],
      "cdn.example.test": ["93.184.216.34"],
    }),
  });
  service = new GenerationService({
    store,
    provider: createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: createSilentLogger(),
    }),
    logger: createSilentLogger(),
    settings: { videoDirectory: join(directory, "videos"), maxJobsPerUser: 0 },
    inputLinkGuard,
  });
  service.registerAdapter(new RecordingChatAdapter("test"));
  await service.start();
});

afterAll(async () => {
  await service.stop();
  await store.close();
  await trap.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

const creates = () => fake.requests.filter((request) => request.method === "POST").length;

describe("attachment links handed to the provider are checked like the bot's own fetches", () => {
  it.each([
    ["the metadata address", "http://169.254.169.254/latest/meta-data/cat.png"],
    ["a private address", "http://10.0.0.1/cat.png"],
    ["an IPv4-mapped private address", "http://[::ffff:10.0.0.1]/cat.png"],
    ["a unique-local address", "http://[fd00::1]/cat.png"],
    ["loopback by name", "http://localhost:8080/cat.png"],
    ["a name that resolves to a private address", "https://files.internal.test/cat.png"],
  ])("%s: refused before anything is stored or sent", async (_name, url) => {
    const before = creates();
    const refusal = await service
      .submit(
        { mode: "image", prompt: "zoom in", startImage: { url, fileName: "cat.png" } },
        origin,
      )
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UserFacingError);
    expect(refusal).toMatchObject({ field: "attachments", code: "MEDIA_REJECTED" });
    expect((refusal as Error).message).toBe(
      "The link to cat.png leads to a private or local address, so it cannot be given to the video provider. Nothing was sent or charged; attach the file itself.",
    );
    expect(creates()).toBe(before);
    expect(await store.listByUser("test", origin.userId, 10)).toEqual([]);
  });

  it("a reference among fair ones is enough to refuse the request", async () => {
    const refusal = await service
      .submit(
        {
          mode: "reference",
          prompt: "@Image1 meets @Image2",
          referenceImages: [
            { url: "https://cdn.example.test/a.png" },
            { url: `http://127.0.0.1:${trap.port}/b.png` },
          ],
        },
        origin,
      )
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UserFacingError);
    expect(trap.hits).toEqual([]);
  });

  it("public links and the platforms' own file hosts pass", async () => {
    const job = await service.submit(
      {
        mode: "reference",
        prompt: "@Image1 meets @Image2",
        referenceImages: [
          { url: "https://cdn.example.test/a.png" },
          { url: `${platformFiles}/b.png` },
        ],
      },
      origin,
    );
    expect(job.state).toBe("queued");
  });
});
