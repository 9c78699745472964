import { createMemorySpaceSettings } from "../../src/settings/memory-space-settings.ts";
import { spaceSettingsContract } from "../contracts/space-settings.contract.ts";

spaceSettingsContract("memory space settings", async () => ({
  store: createMemorySpaceSettings(),
}));
