import { execFileSync } from "node:child_process";
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** The first executable called `name` on `path` (a PATH value), or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  for (const directory of path.split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * npm's own script (`npm-cli.js`), so a test chooses which Node runs npm: `npm` on PATH is a
 * `#!/usr/bin/env node` script that would run on whichever Node comes first.
 */
export function npmCli(): string {
  const npm = findOnPath("npm");
  if (!npm) throw new Error("npm is not on PATH");
  return realpathSync(npm);
}

/** PATH with `runtime`'s directory first, so scripts that npm runs call that Node. */
export function pathWith(runtime: string): string {
  return [dirname(runtime), process.env.PATH ?? ""].join(delimiter);
}

export interface OldNode {
  path: string;
  version: string;
}

/**
 * A Node older than package.json's `engines` on this machine: the `node` that PATH gives once the
 * directory of the Node running the tests is left out (on this machine and CI, the system's Node 20).
 */
export function findOldNode(minimum: [number, number]): OldNode | undefined {
  const own = dirname(process.execPath);
  const path = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((directory) => directory && directory !== own && !directory.includes("node_modules"))
    .join(delimiter);
  const node = findOnPath("node", path);
  if (!node) return undefined;
  try {
    const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
    const older = major < minimum[0] || (major === minimum[0] && minor < minimum[1]);
    return older ? { path: node, version } : undefined;
  } catch {
    return undefined;
  }
}
