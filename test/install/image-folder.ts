import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, posix, relative } from "node:path";
import { promisify } from "node:util";
import { npmCli, pathWith } from "../support/executables.ts";
import { parseDockerfile, type Stage } from "./dockerfile.ts";

const run = promisify(execFile);

/** .dockerignore as Docker reads it: paths from the context root, `*`, `?`, `**`, `!` to re-include. */
function ignoreRules(context: string): { pattern: RegExp; include: boolean }[] {
  const file = join(context, ".dockerignore");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const include = line.startsWith("!");
      const glob = posix.normalize((include ? line.slice(1) : line).replace(/^\/+/, ""));
      const source = glob
        .split(/(\*\*|\*|\?)/)
        .map((part) =>
          part === "**"
            ? ".*"
            : part === "*"
              ? "[^/]*"
              : part === "?"
                ? "[^/]"
                : part.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
        )
        .join("");
      return { pattern: new RegExp(`^${source}$`), include };
    });
}

function ignoredBy(rules: ReturnType<typeof ignoreRules>, path: string): boolean {
  // A path is left out when it, or a folder above it, matches; the last matching rule wins.
  const parts = path.split("/");
  let ignored = false;
  for (let length = 1; length <= parts.length; length++) {
    const prefix = parts.slice(0, length).join("/");
    for (const rule of rules) if (rule.pattern.test(prefix)) ignored = !rule.include;
  }
  return ignored;
}

/** The build's environment: this machine's (npm's cache and registry settings) and the stage's ENV. */
function buildEnvironment(stage: Stage): NodeJS.ProcessEnv {
  const { NODE_ENV: _testRunner, ...machine } = process.env;
  return { ...machine, ...stage.environment, PATH: pathWith(process.execPath) };
}

/** What the image would hold at `workdir`, built into a folder of its own per stage. */
export interface ImageFolders {
  /** The final stage's WORKDIR, as a folder. */
  app: string;
  stage: Stage;
  /** The npm ci commands that were run, as given in the Dockerfile. */
  installs: string[];
  /**
   * Debian packages the Dockerfile `apt-get install`s. The test cannot run apt (no root, no
   * Debian mirror): it takes them from this machine instead and checks that they are here.
   */
  systemPackages: string[];
}

/**
 * Reproduces the Dockerfile's COPY and npm ci steps in `root` (one folder per stage standing for
 * its WORKDIR). Any other RUN step must leave WORKDIR alone (mkdir/chown elsewhere, npm's cache),
 * or this throws: the test has to be taught it, not skip it.
 */
export async function buildImageFolders(context: string, root: string): Promise<ImageFolders> {
  const stages = parseDockerfile(readFileSync(join(context, "Dockerfile"), "utf8"));
  const rules = ignoreRules(context);
  const folders = new Map<string, string>();
  const installs: string[] = [];
  const systemPackages: string[] = [];
  for (const [index, stage] of stages.entries()) {
    const folder = join(root, `stage-${index}`);
    mkdirSync(folder, { recursive: true });
    folders.set(stage.name, folder);
    const inStage = (path: string) => {
      const inside = posix.relative(stage.workdir, posix.resolve(stage.workdir, path));
      if (inside.startsWith("..")) throw new Error(`${path} is outside WORKDIR ${stage.workdir}`);
      return join(folder, inside);
    };
    for (const step of stage.steps) {
      if (step.kind === "copy") {
        const { sources, destination, from } = step.copy;
        const fromStage = from ? stages.find((candidate) => candidate.name === from) : undefined;
        if (from && !fromStage) throw new Error(`COPY --from=${from}: no such stage`);
        const target = inStage(destination);
        const intoFolder = destination.endsWith("/") || sources.length > 1;
        for (const source of sources) {
          const origin = fromStage
            ? join(
                folders.get(fromStage.name) ?? "",
                posix.relative(fromStage.workdir, posix.resolve(fromStage.workdir, source)),
              )
            : join(context, source);
          if (!fromStage && ignoredBy(rules, posix.normalize(source)))
            throw new Error(`COPY ${source}: .dockerignore leaves it out`);
          const file = statSync(origin).isFile();
          const to = file && intoFolder ? join(target, basename(origin)) : target;
          cpSync(origin, to, {
            recursive: true,
            filter: (path) =>
              fromStage ? true : !ignoredBy(rules, relative(context, path).split("\\").join("/")),
          });
        }
        continue;
      }
      for (const part of step.command.split("&&").map((segment) => segment.trim())) {
        if (/^npm ci\b/.test(part)) {
          installs.push(part);
          const words = part.split(/\s+/).slice(1);
          // --prefer-offline: the machine's warm npm cache first, the registry for the rest.
          await run(process.execPath, [npmCli(), ...words, "--prefer-offline"], {
            cwd: folder,
            env: buildEnvironment(stage),
            maxBuffer: 16 * 1024 * 1024,
          });
        } else if (/^apt-get install\b/.test(part)) {
          systemPackages.push(
            ...part
              .split(/\s+/)
              .slice(2)
              .filter((word) => !word.startsWith("-")),
          );
        } else if (/^apt-get update$/.test(part) || part === "rm -rf /var/lib/apt/lists/*") {
          // Package lists: fetched and dropped around the install, outside WORKDIR.
        } else if (/^npm cache clean\b/.test(part)) {
          // Only shrinks the image; running it here would empty this machine's npm cache.
        } else if (/^(mkdir|chown)\s/.test(part)) {
          const paths = part.split(/\s+/).filter((word) => word.startsWith("/"));
          for (const path of paths) {
            if (!posix.relative(stage.workdir, path).startsWith(".."))
              throw new Error(`RUN ${part}: changes WORKDIR, which the image test does not copy`);
          }
        } else {
          throw new Error(`The image test does not know how to reproduce RUN ${part}`);
        }
      }
    }
  }
  const stage = stages.at(-1);
  if (!stage) throw new Error("The Dockerfile has no FROM");
  return { app: folders.get(stage.name) ?? "", stage, installs, systemPackages };
}
