import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { ConfigError } from "../../../src/errors.ts";
import { trustedHostsOf } from "../../../src/http/trusted-hosts.ts";
import { falCatalog } from "../../../src/providers/fal/index.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import {
  callbackRouteOf,
  providerFromConfig,
} from "../../../src/providers/provider-from-config.ts";
import { captureLogs } from "../oxen/oxen-test-helpers.ts";

describe("PROVIDER=fal from the configuration", () => {
  const built: GenerationProvider[] = [];
  const build = (environment: Record<string, string>) => {
    const provider = providerFromConfig(
      loadConfig(environment),
      "/tmp",
      captureLogs().logger,
      undefined,
      {
        callbacks: true,
      },
    );
    built.push(provider);
    return provider;
  };
  afterEach(async () => {
    for (const provider of built.splice(0)) await provider.stop();
  });

  it("is picked when only FAL_KEY is set, with fal's queue as a trusted host", () => {
    const config = loadConfig({ FAL_KEY: "id:secret" });
    expect(config).toMatchObject({
      provider: "fal",
      fal: { apiKey: "id:secret", queueUrl: "https://queue.fal.run" },
    });
    expect(trustedHostsOf(config)).toContain("https://queue.fal.run");
    const provider = build({ FAL_KEY: "id:secret" });
    expect(provider.name).toBe("fal");
    expect(provider.catalog).toBe(falCatalog);
  });

  it("requires FAL_KEY with PROVIDER=fal and says where to get one", () => {
    expect(() => loadConfig({ PROVIDER: "fal" })).toThrow(ConfigError);
    expect(() => loadConfig({ PROVIDER: "fal" })).toThrow(
      /FAL_KEY is required when PROVIDER=fal: create a key at https:\/\/fal.ai/,
    );
  });

  it("turns webhooks on under an https PUBLIC_BASE_URL only", () => {
    const secure = build({
      FAL_KEY: "k",
      PUBLIC_BASE_URL: "https://bot.example",
      PLAYGROUND_TOKEN: "playground-token-0123456789",
    });
    expect(callbackRouteOf(secure)?.path).toBe("/provider-callbacks/fal/");
    const plain = build({
      FAL_KEY: "k",
      PUBLIC_BASE_URL: "http://bot.example",
      PLAYGROUND_TOKEN: "playground-token-0123456789",
    });
    expect(callbackRouteOf(plain)).toBeUndefined();
  });
});
