import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openSqliteSpaceSettings } from "../../src/settings/sqlite-space-settings.ts";
import { spaceSettingsContract } from "../contracts/space-settings.contract.ts";

const directory = mkdtempSync(join(tmpdir(), "seedance-settings-"));
let files = 0;

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

spaceSettingsContract("sqlite space settings", async () => {
  files += 1;
  const path = join(directory, `run-${files}`, "settings.sqlite");
  const open = async () => openSqliteSpaceSettings({ path });
  return { store: await open(), peer: open, reopen: open };
});
