import type { GenerationRequest } from "../../domain/generation-request.ts";
import {
  aihubmaxCatalog,
  evolinkCatalog,
  type ModelCatalog,
  type ModelEntry,
} from "../../domain/model-catalog.ts";
import {
  toAihubmaxBody,
  toEvolinkBody,
  type UnifiedTaskRequestBody,
} from "./unified-task-request-body.ts";

export const unifiedTaskDialectNames = ["aihubmax", "evolink"] as const;
export type UnifiedTaskDialectName = (typeof unifiedTaskDialectNames)[number];

/**
 * What differs between the two "unified task" APIs; the protocol itself (create, query, statuses,
 * errors, callbacks) is shared and lives in the rest of this folder. One more difference needs no
 * entry: `results[0]` is `{url}` on AIHubMax and a plain string on EvoLink, and both are read.
 */
export interface UnifiedTaskDialect {
  /** Also the provider's `name` (stored on every job) and the PROVIDER value. */
  readonly name: UnifiedTaskDialectName;
  /** How users and operators read the provider's name. */
  readonly label: string;
  /** The variable the operator fixes when the key is refused. */
  readonly apiKeyVariable: string;
  readonly defaultBaseUrl: string;
  readonly catalog: ModelCatalog;
  readonly toRequestBody: (request: GenerationRequest, model: ModelEntry) => UnifiedTaskRequestBody;
  /** Whether `callback_url` is documented for Seedance 2.0 (AIHubMax lists it for other models). */
  readonly callbackDocumented: boolean;
}

export const unifiedTaskDialects: Readonly<Record<UnifiedTaskDialectName, UnifiedTaskDialect>> = {
  aihubmax: {
    name: "aihubmax",
    label: "AIHubMax",
    apiKeyVariable: "AIHUBMAX_API_KEY",
    defaultBaseUrl: "https://api.aihubmax.com",
    catalog: aihubmaxCatalog,
    toRequestBody: toAihubmaxBody,
    callbackDocumented: false,
  },
  evolink: {
    name: "evolink",
    label: "EvoLink",
    apiKeyVariable: "EVOLINK_API_KEY",
    defaultBaseUrl: "https://api.evolink.ai",
    catalog: evolinkCatalog,
    toRequestBody: toEvolinkBody,
    callbackDocumented: true,
  },
};
