import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { npmCli, pathWith } from "../support/executables.ts";

const root = join(import.meta.dirname, "../..");
const temporary = mkdtempSync(join(tmpdir(), "seedance-lockfile-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

describe("package-lock.json", () => {
  it("is what npm install writes: a fresh clone's npm install leaves git status clean", async () => {
    for (const file of ["package.json", "package-lock.json"])
      copyFileSync(join(root, file), join(temporary, file));
    // Resolves the tree and rewrites the lockfile as `npm install` would, without installing it.
    await promisify(execFile)(
      process.execPath,
      [
        npmCli(),
        "install",
        "--package-lock-only",
        "--ignore-scripts",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
      ],
      { cwd: temporary, env: { ...process.env, PATH: pathWith(process.execPath) } },
    );
    expect(readFileSync(join(temporary, "package-lock.json"), "utf8")).toBe(
      readFileSync(join(root, "package-lock.json"), "utf8"),
    );
  });
});
