export { falCatalog } from "./fal-models.ts";
export { createFalProvider, type FalProvider, type FalProviderOptions } from "./fal-provider.ts";
