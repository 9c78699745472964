import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const importPattern =
  /(?:^|\n)\s*(?:import|export)[^"'`]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory)).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  const text = readFileSync(join(root, path), "utf8");
  return [...text.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? "");
}

function resolvesInto(file: string, specifier: string, folders: readonly string[]): boolean {
  if (!specifier.startsWith(".")) return false;
  const target = relative(root, join(root, file, "..", specifier));
  return folders.some((folder) => target === folder || target.startsWith(`${folder}/`));
}

const platformPackages = /^(discord\.js|@discordjs\/|@slack\/|discord-api-types)/;

describe("architecture", () => {
  it("keeps the core free of platforms: src/ imports no adapters, commands or chat SDKs (except src/main.ts)", () => {
    const offenders = sourceFiles("src")
      .filter((file) => file !== "src/main.ts")
      .flatMap((file) =>
        importsOf(file)
          .filter(
            (specifier) =>
              platformPackages.test(specifier) ||
              resolvesInto(file, specifier, ["adapters", "commands"]),
          )
          .map((specifier) => `${file} imports ${specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it("keeps commands platform-neutral: commands/ imports no adapters or chat SDKs", () => {
    const offenders = sourceFiles("commands").flatMap((file) =>
      importsOf(file)
        .filter(
          (specifier) =>
            platformPackages.test(specifier) || resolvesInto(file, specifier, ["adapters"]),
        )
        .map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it("detects a forbidden import (the check itself works)", () => {
    expect(resolvesInto("src/service/x.ts", "../../adapters/discord/index.ts", ["adapters"])).toBe(
      true,
    );
    expect(resolvesInto("src/service/x.ts", "../jobs/job.ts", ["adapters"])).toBe(false);
  });
});
