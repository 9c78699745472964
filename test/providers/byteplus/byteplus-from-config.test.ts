import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { trustedHostsOf } from "../../../src/http/trusted-hosts.ts";
import { byteplusCatalog } from "../../../src/providers/byteplus/index.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import {
  callbackRouteOf,
  providerFromConfig,
} from "../../../src/providers/provider-from-config.ts";
import { captureLogs } from "../oxen/oxen-test-helpers.ts";

describe("PROVIDER=byteplus from the configuration", () => {
  const built: GenerationProvider[] = [];
  const build = (environment: Record<string, string>) => {
    const config = loadConfig(environment);
    const provider = providerFromConfig(config, "/tmp", captureLogs().logger, undefined, {
      callbacks: true,
    });
    built.push(provider);
    return provider;
  };
  afterEach(async () => {
    for (const provider of built.splice(0)) await provider.stop();
  });

  it("is picked when only ARK_API_KEY is set, with Ark's API as a trusted host", () => {
    const config = loadConfig({ ARK_API_KEY: "ark", ARK_SERVICE_TIER: "flex" });
    expect(config).toMatchObject({
      provider: "byteplus",
      byteplus: {
        apiKey: "ark",
        baseUrl: "https://ark.ap-southeast.bytepluses.com/api/v3",
        serviceTier: "flex",
      },
    });
    expect(trustedHostsOf(config)).toContain("https://ark.ap-southeast.bytepluses.com/api/v3");
    const provider = build({ ARK_API_KEY: "ark" });
    expect(provider.name).toBe("byteplus");
    expect(provider.catalog).toBe(byteplusCatalog);
  });

  it("requires ARK_API_KEY with PROVIDER=byteplus and refuses an unknown tier", () => {
    expect(() => loadConfig({ PROVIDER: "byteplus" })).toThrow(
      /ARK_API_KEY is required when PROVIDER=byteplus: create a ModelArk API key/,
    );
    expect(() => loadConfig({ ARK_API_KEY: "a", ARK_SERVICE_TIER: "cheap" })).toThrow(
      /ARK_SERVICE_TIER must be one of: default, flex/,
    );
  });

  it("sends callbacks under an https PUBLIC_BASE_URL only", () => {
    const secure = build({
      ARK_API_KEY: "a",
      PUBLIC_BASE_URL: "https://bot.example",
      PLAYGROUND_TOKEN: "playground-token-0123456789",
    });
    expect(callbackRouteOf(secure)?.path).toBe("/provider-callbacks/byteplus/");
    expect(callbackRouteOf(build({ ARK_API_KEY: "a" }))).toBeUndefined();
  });
});
