import { join } from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { GenerationProvider } from "./generation-provider.ts";
import { createOxenProvider } from "./oxen/index.ts";
import { createSimulatorProvider } from "./simulator/index.ts";

/** The provider PROVIDER names, built from its own settings. */
export function providerFromConfig(
  config: Config,
  dataDirectory: string,
  logger: Logger,
  resolveLocalPath?: (url: string) => string | undefined,
): GenerationProvider {
  switch (config.provider) {
    case "oxen":
      return createOxenProvider({
        apiKey: config.oxen.apiKey,
        baseUrl: config.oxen.baseUrl,
        logger: logger.child({ component: "oxen" }),
        sseIdleTimeoutMs: config.timing.sseIdleTimeoutMs,
      });
    case "simulator":
      return createSimulatorProvider({
        delayMs: config.simulator.delayMs,
        failureRate: config.simulator.failureRate,
        dataDirectory: join(dataDirectory, "simulator"),
        logger: logger.child({ component: "simulator" }),
        ...(resolveLocalPath ? { resolveLocalPath } : {}),
      });
  }
}
