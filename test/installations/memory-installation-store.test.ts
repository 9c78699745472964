import { createMemoryInstallationStore } from "../../src/installations/memory-installation-store.ts";
import { installationStoreContract } from "../contracts/installation-store.contract.ts";

installationStoreContract("memory installations", async () => ({
  store: createMemoryInstallationStore(),
}));
