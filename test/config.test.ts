import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { ConfigError } from "../src/errors.ts";

describe("config", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({ OXEN_API_KEY: "key" });
    expect(config).toMatchObject({
      provider: "oxen",
      oxen: { apiKey: "key", baseUrl: "https://hub.oxen.ai" },
      dataDirectory: "./data",
      http: { port: 3000 },
      logLevel: "info",
      timing: { sseIdleTimeoutMs: 45_000, sweepIntervalMs: 60_000 },
    });
    expect(config.publicBaseUrl).toBeUndefined();
  });

  it("names every bad variable and what it should be, in one message", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        OXEN_BASE_URL: "ftp://x",
        LOG_LEVEL: "loud",
        PROVIDER: "other",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(message).toContain("OXEN_BASE_URL must be an http(s) URL");
    expect(message).toContain(
      "LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent",
    );
    expect(message).toContain("PROVIDER must be one of: oxen");
  });

  it("requires OXEN_API_KEY for the Oxen provider and says where to get one", () => {
    expect(() => loadConfig({})).toThrow(/OXEN_API_KEY is required when PROVIDER=oxen/);
  });

  it("treats empty variables as unset and trims trailing slashes from URLs", () => {
    const config = loadConfig({
      OXEN_API_KEY: "k",
      PORT: "",
      OXEN_BASE_URL: "http://127.0.0.1:9/",
      PUBLIC_BASE_URL: "",
    });
    expect(config.http.port).toBe(3000);
    expect(config.oxen.baseUrl).toBe("http://127.0.0.1:9");
    expect(config.publicBaseUrl).toBeUndefined();
  });
});
