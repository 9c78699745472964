import type { Dispatcher } from "undici";
import type { z } from "zod";
import { ProviderError } from "../../errors.ts";
import type { HttpMethod, JsonResponse, RetryPolicy } from "../../http/request-json.ts";
import { createBearerSender, type ProviderCall, transportFailure } from "../provider-http.ts";
import { oxenProviderName, oxenResponseError } from "./oxen-errors.ts";

export interface OxenClientOptions {
  apiKey: string;
  baseUrl: string;
  dispatcher?: Dispatcher | undefined;
  retry: RetryPolicy;
  maxResponseBytes?: number | undefined;
}

export type OxenCall = ProviderCall;

/** Thin JSON client for the hub: auth, retries for reads, and errors as ProviderError. */
export interface OxenClient {
  readonly baseUrl: string;
  /** Any HTTP status resolves; only transport failures throw (as TransportError). */
  send(method: HttpMethod, path: string, call?: OxenCall): Promise<JsonResponse>;
  /** GET, expecting 2xx and a body matching `schema`; anything else throws ProviderError. */
  getJson<T>(path: string, schema: z.ZodType<T>, call?: OxenCall): Promise<T>;
}

export function createOxenClient(options: OxenClientOptions): OxenClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");

  const { send } = createBearerSender(options);

  const getJson = async <T>(path: string, schema: z.ZodType<T>, call: OxenCall = {}) => {
    let response: JsonResponse;
    try {
      response = await send("GET", path, call);
    } catch (error) {
      throw transportProviderError(error);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw oxenResponseError(response, { now: (options.retry.now ?? Date.now)() });
    }
    return parseOxenResponse(schema, response.body, `GET ${path.split("?")[0]}`);
  };

  return { baseUrl, send, getJson };
}

export function parseOxenResponse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
  throw new ProviderError({
    message: `Oxen sent an unexpected answer to ${what}${where}`,
    provider: oxenProviderName,
    retryable: false,
    cause: parsed.error,
  });
}

/** A failure below HTTP, as a ProviderError; the caller decides whether the outcome is unknown. */
export function transportProviderError(
  error: unknown,
  options: { outcomeUnknown?: boolean } = {},
): ProviderError {
  return transportFailure({ name: oxenProviderName, label: "Oxen" }, error, options);
}
