import { afterEach, describe, expect, it } from "vitest";
import { generationRequestSchema } from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { type CapturedLogs, captureLogs, recordingListener, until } from "./oxen-test-helpers.ts";

const modelsPattern = /^\/api\/ai\/models\//;

describe("Oxen start-up", () => {
  let fake: FakeOxenServer;
  let provider: GenerationProvider;
  let logs: CapturedLogs;

  async function start(options: Parameters<typeof startFakeOxenServer>[0] = {}) {
    fake = await startFakeOxenServer(options);
    logs = captureLogs();
    provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: logs.logger,
      // Retries of the model reads happen at once; timing is covered elsewhere.
      sleep: async () => {},
    });
  }
  const modelReads = () => fake.requests.filter((request) => modelsPattern.test(request.pathname));

  afterEach(async () => {
    await provider.stop();
    await fake.close();
  });

  it("fetches every catalog model and prices requests from the hub's pricing", async () => {
    await start();
    const text = (input: Record<string, unknown>) =>
      generationRequestSchema.parse({ mode: "text", prompt: "p", ...input });
    expect(provider.estimateCost(text({}), oxenCatalog.text.standard)).toBeUndefined();

    await provider.start(recordingListener());
    await fake.waitForRequests((request) => modelsPattern.test(request.pathname), 6);
    await until(
      () => provider.estimateCost(text({}), oxenCatalog.text.standard) !== undefined,
      "pricing",
    );

    expect(
      modelReads()
        .map((request) => request.pathname)
        .sort(),
    ).toEqual(
      Object.values(oxenCatalog)
        .flatMap((row) => [`/api/ai/models/${row.standard.id}`, `/api/ai/models/${row.fast.id}`])
        .sort(),
    );
    // 720p is the schema's default; auto duration bills the full 15 s.
    expect(provider.estimateCost(text({}), oxenCatalog.text.standard)).toEqual({
      amount: 1.5,
      currency: "USD",
    });
    expect(
      provider.estimateCost(text({ resolution: "1080p", duration: 5 }), oxenCatalog.text.standard),
    ).toEqual({
      amount: 1,
      currency: "USD",
    });
    expect(
      provider.estimateCost(text({ resolution: "480p", duration: 4 }), oxenCatalog.text.fast),
    ).toEqual({
      amount: 0.2,
      currency: "USD",
    });
    expect(logs.messages("warn")).toEqual([]);
  });

  it("starts even when the models endpoint is down, with one warning", async () => {
    await start();
    fake.failNext("GET", modelsPattern, 503, { times: 100 });
    const listener = recordingListener();
    await provider.start(listener);
    expect(listener.connects).toBe(1);
    await until(() => logs.messages("warn").length > 0, "the warning");
    expect(logs.messages("warn")).toEqual([
      "could not fetch Oxen model details; using built-in limits, without cost estimates",
    ]);
    expect(
      provider.estimateCost(
        generationRequestSchema.parse({ mode: "text", prompt: "p" }),
        oxenCatalog.text.standard,
      ),
    ).toBeUndefined();
  });

  it("does not wait for a models endpoint that hangs, and stop still ends it", async () => {
    await start();
    fake.failNext("GET", modelsPattern, 200, { hang: true, times: 100 });
    const listener = recordingListener();
    await provider.start(listener);
    expect(listener.connects).toBe(1);
    await provider.stop();
    expect(logs.messages("warn")).toEqual([]);
  });

  it("warns, per model, where the hub's schema drifted from our limits", async () => {
    await start({
      transformModel: (model) => {
        if (model.id !== "bytedance-seedance-2-0-fast-text-to-video") return model;
        const schema = model.request_schema as { properties: Record<string, unknown> };
        const { watermark: _watermark, ...properties } = schema.properties;
        return {
          ...model,
          request_schema: undefined,
          json_request_schema: {
            ...schema,
            properties: {
              ...properties,
              resolution: { type: "string", enum: ["480p", "720p", "1080p"] },
              duration: { type: "string", enum: ["auto", "4", "5"] },
              aspect_ratio: {
                type: "string",
                enum: ["auto", "16:9", "9:16", "1:1", "4:3", "3:4", "21:9"],
              },
              end_user_id: { type: "string" },
            },
          },
        };
      },
    });
    await provider.start(recordingListener());
    await until(() => logs.messages("warn").length > 0, "the drift warning");
    const warning = logs.lines.find(
      (line) => line.msg === "Oxen model schema differs from our limits",
    );
    expect(warning?.model).toBe("bytedance-seedance-2-0-fast-text-to-video");
    expect(warning?.drift).toEqual([
      "properties we do not know: end_user_id",
      "properties the provider does not declare: watermark",
      "resolution: the provider also accepts 1080p",
      "aspect_ratio: the provider also accepts auto",
      "aspect_ratio: the provider does not accept adaptive",
      "duration: the provider expects a string; we send whole seconds",
    ]);
    expect(logs.messages("warn")).toHaveLength(1);
  });

  it("sends seed only to a model whose live request schema declares it", async () => {
    const older = "bytedance-seedance-2-0-fast-text-to-video";
    await start({
      transformModel: (model) => {
        if (model.id !== older) return model;
        const schema = model.request_schema as { properties: Record<string, unknown> };
        const properties = { ...schema.properties, seed: { type: "integer" } };
        return { ...model, request_schema: { ...schema, properties } };
      },
    });
    const seeded = generationRequestSchema.parse({ mode: "text", prompt: "p", seed: 7 });
    const ignored = (model: (typeof oxenCatalog)["text"]["fast"]) =>
      provider.ignoredSettings?.(seeded, model);
    await provider.start(recordingListener());
    await until(() => ignored(oxenCatalog.text.fast)?.length === 0, "the older schema");
    expect(ignored(oxenCatalog.text.standard)).toEqual(["seed"]);

    const submitted = async (model: (typeof oxenCatalog)["text"]["fast"]) => {
      const { providerJobId } = await provider.submit({
        jobId: model.id,
        model,
        request: seeded,
        createdAt: Date.now(),
      });
      return fake.jobs.get(providerJobId)?.parameters;
    };
    expect(await submitted(oxenCatalog.text.standard)).toEqual({ prompt: "p" });
    expect(await submitted(oxenCatalog.text.fast)).toEqual({ prompt: "p", seed: 7 });
  });
});
