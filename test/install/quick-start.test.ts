import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const ci = readFileSync(join(root, ".ci/run"), "utf8");

/** The commands of the README's quick start block, comments dropped, `a && b` split. */
function quickStartCommands(): string[] {
  const section = readme.slice(readme.indexOf("## Quick start"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter(Boolean)
    .flatMap((line) => line.split("&&").map((command) => command.trim()));
}

describe("the README's quick start and CI", () => {
  it("CI runs exactly the README's install and test commands, in that order", () => {
    // Nothing in CI may install with `npm install`, which forgives a stale lockfile; Node itself is unpacked.
    expect(ci).not.toMatch(/npm\s+(install|i)\s/);
    // Top-level lines only: the indented `npm pack …` fetches Node itself.
    const ciCommands = ci
      .split("\n")
      .filter((line) => /^npm\s/.test(line))
      .map((line) => line.trim());
    expect(ciCommands).toEqual(["npm ci", "npm test"]);
    expect(quickStartCommands().filter((command) => command !== "npm start")).toEqual(ciCommands);
  });
});
