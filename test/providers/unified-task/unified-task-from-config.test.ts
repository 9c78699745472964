import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { aihubmaxCatalog, evolinkCatalog } from "../../../src/domain/model-catalog.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import {
  callbackRouteOf,
  providerFromConfig,
} from "../../../src/providers/provider-from-config.ts";
import { captureLogs } from "../oxen/oxen-test-helpers.ts";

describe("PROVIDER=aihubmax / evolink from the configuration", () => {
  const built: GenerationProvider[] = [];
  const build = (environment: Record<string, string>, callbacks: boolean, logs = captureLogs()) => {
    const provider = providerFromConfig(loadConfig(environment), "/tmp", logs.logger, undefined, {
      callbacks,
    });
    built.push(provider);
    return provider;
  };

  afterEach(async () => {
    for (const provider of built.splice(0)) await provider.stop();
  });

  it("builds each provider with its own catalog, and no callback route unless asked", () => {
    const aihubmax = build({ PROVIDER: "aihubmax", AIHUBMAX_API_KEY: "sk-a" }, false);
    expect(aihubmax.name).toBe("aihubmax");
    expect(aihubmax.catalog).toBe(aihubmaxCatalog);
    expect(callbackRouteOf(aihubmax)).toBeUndefined();
    const evolink = build({ PROVIDER: "evolink", EVOLINK_API_KEY: "e" }, false);
    expect(evolink.catalog).toBe(evolinkCatalog);
  });

  it("mounts callbacks under an https PUBLIC_BASE_URL only", () => {
    // The playground is on (no chat platform), so a public address needs its token.
    const environment = {
      PROVIDER: "evolink",
      EVOLINK_API_KEY: "e",
      PLAYGROUND_TOKEN: "a-long-enough-token",
    };
    const secure = build({ ...environment, PUBLIC_BASE_URL: "https://bot.example" }, true);
    expect(callbackRouteOf(secure)?.path).toBe("/provider-callbacks/evolink/");
    const logs = captureLogs();
    const plain = build({ ...environment, PUBLIC_BASE_URL: "http://bot.example" }, true, logs);
    expect(callbackRouteOf(plain)).toBeUndefined();
    expect(logs.messages("warn")).toEqual([
      "PUBLIC_BASE_URL is not https, so provider callbacks are off; tasks are still polled",
    ]);
    const oxen = build({ PROVIDER: "oxen", OXEN_API_KEY: "o" }, true);
    expect(callbackRouteOf(oxen)).toBeUndefined();
  });
});
