import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";

describe("logger", () => {
  it("never writes keys, tokens or signed URLs, however deep they sit", () => {
    let text = "";
    const destination = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    const logger = createLogger("info", destination);
    logger.info(
      {
        config: { aihubmax: { apiKey: "secret-aihubmax" }, oxen: { apiKey: "secret-oxen" } },
        request: { headers: { authorization: "Bearer secret-bearer" } },
        job: { resultUrl: "https://hub.example/secret-result" },
        url: "https://bot.example/media/abc?signature=secret-signature",
        token: "secret-token",
      },
      "starting",
    );
    expect(text).toContain("starting");
    expect(text).not.toMatch(/secret-/);
  });
});
