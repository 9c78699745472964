export { createOxenProvider, type OxenProviderOptions } from "./oxen-provider.ts";
