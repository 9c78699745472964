import { join } from "node:path";
import type { Dispatcher } from "undici";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { type BytePlusProvider, createBytePlusProvider } from "./byteplus/index.ts";
import { createFalProvider, type FalProvider } from "./fal/index.ts";
import type { GenerationProvider } from "./generation-provider.ts";
import { createOxenProvider } from "./oxen/index.ts";
import { createSimulatorProvider } from "./simulator/index.ts";
import {
  type CallbackRoute,
  createUnifiedTaskProvider,
  type UnifiedTaskProvider,
} from "./unified-task/index.ts";

export interface ProviderWiring {
  /**
   * Have AIHubMax/EvoLink send `callback_url` under PUBLIC_BASE_URL (https only). Turn it on only
   * together with mounting `callbackRouteOf(provider)` on the HTTP server.
   */
  callbacks?: boolean;
  /** The bot's one guarded agent (`src/http/outbound-guard.ts`); the provider makes its own without. */
  dispatcher?: Dispatcher;
}

/** The provider PROVIDER names, built from its own settings. */
export function providerFromConfig(
  config: Config,
  dataDirectory: string,
  logger: Logger,
  resolveLocalPath?: (url: string) => string | undefined,
  wiring: ProviderWiring = {},
): GenerationProvider {
  switch (config.provider) {
    case "oxen":
      return createOxenProvider({
        apiKey: config.oxen.apiKey,
        baseUrl: config.oxen.baseUrl,
        logger: logger.child({ component: "oxen" }),
        sseIdleTimeoutMs: config.timing.sseIdleTimeoutMs,
        ...outbound(config, wiring),
      });
    case "aihubmax":
    case "evolink": {
      const settings = config[config.provider];
      const callbackBaseUrl = wiring.callbacks
        ? callbackBase(config.publicBaseUrl, logger)
        : undefined;
      return createUnifiedTaskProvider({
        dialect: config.provider,
        apiKey: settings.apiKey,
        baseUrl: settings.baseUrl,
        logger: logger.child({ component: config.provider }),
        ...(callbackBaseUrl ? { callbackBaseUrl } : {}),
        ...outbound(config, wiring),
      });
    }
    case "fal": {
      const callbackBaseUrl = wiring.callbacks
        ? callbackBase(config.publicBaseUrl, logger)
        : undefined;
      return createFalProvider({
        apiKey: config.fal.apiKey,
        queueUrl: config.fal.queueUrl,
        logger: logger.child({ component: "fal" }),
        ...(callbackBaseUrl ? { callbackBaseUrl } : {}),
        ...outbound(config, wiring),
      });
    }
    case "byteplus": {
      const callbackBaseUrl = wiring.callbacks
        ? callbackBase(config.publicBaseUrl, logger)
        : undefined;
      return createBytePlusProvider({
        apiKey: config.byteplus.apiKey,
        baseUrl: config.byteplus.baseUrl,
        serviceTier: config.byteplus.serviceTier,
        logger: logger.child({ component: "byteplus" }),
        ...(callbackBaseUrl ? { callbackBaseUrl } : {}),
        ...outbound(config, wiring),
      });
    }
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

/** How a provider reaches outside hosts: the bot's agent, trusted hosts, the size of answers. */
function outbound(config: Config, wiring: ProviderWiring) {
  return {
    trustedHosts: config.outbound.allowedHosts,
    maxResponseBytes: config.outbound.maxResponseBytes,
    ...(wiring.dispatcher ? { dispatcher: wiring.dispatcher } : {}),
  };
}

/** The route the provider's callbacks need on the bot's HTTP server, when it has one. */
export function callbackRouteOf(provider: GenerationProvider): CallbackRoute | undefined {
  return "callbackRoute" in provider
    ? (provider as UnifiedTaskProvider | FalProvider | BytePlusProvider).callbackRoute
    : undefined;
}

/** Callbacks need an https PUBLIC_BASE_URL (EvoLink refuses anything else). */
function callbackBase(publicBaseUrl: string | undefined, logger: Logger): string | undefined {
  if (!publicBaseUrl) return undefined;
  if (!publicBaseUrl.startsWith("https://")) {
    logger.warn(
      "PUBLIC_BASE_URL is not https, so provider callbacks are off; tasks are still polled",
    );
    return undefined;
  }
  return publicBaseUrl;
}
