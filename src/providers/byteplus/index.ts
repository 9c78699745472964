export { byteplusCatalog } from "./byteplus-models.ts";
export {
  type BytePlusProvider,
  type BytePlusProviderOptions,
  createBytePlusProvider,
  defaultArkBaseUrl,
} from "./byteplus-provider.ts";
