/** The parts of a Dockerfile the image test reproduces without a Docker engine. */
export interface Copy {
  sources: string[];
  destination: string;
  /** `--from=stage`: copied from that stage's file system instead of the build context. */
  from?: string;
}

export interface Stage {
  name: string;
  workdir: string;
  /** COPY and RUN in the order given. */
  steps: ({ kind: "copy"; copy: Copy } | { kind: "run"; command: string })[];
  environment: Record<string, string>;
  command?: string[];
}

/** Instruction lines: comments dropped, continuation lines joined. */
function instructions(text: string): { keyword: string; rest: string }[] {
  const lines: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) continue;
    if (pending && line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = "";
  }
  if (pending) lines.push(pending);
  return lines.map((line) => {
    const [keyword = "", ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), rest: rest.join(" ") };
  });
}

/** `KEY=value KEY2="a b"` (or the old `KEY value` form). */
function environmentPairs(rest: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (!rest.includes("=")) {
    const [key = "", ...value] = rest.split(/\s+/);
    pairs[key] = value.join(" ");
    return pairs;
  }
  for (const match of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const [, key = "", value = ""] = match;
    pairs[key] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return pairs;
}

function parseCopy(rest: string): Copy {
  const words = rest.split(/\s+/);
  const flags = words.filter((word) => word.startsWith("--"));
  const paths = words.filter((word) => !word.startsWith("--"));
  const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length);
  const destination = paths.pop();
  if (!destination || paths.length === 0)
    throw new Error(`COPY needs a source and a destination: ${rest}`);
  return { sources: paths, destination, ...(from ? { from } : {}) };
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { keyword, rest } of instructions(text)) {
    if (keyword === "FROM") {
      const [, name] = /\bAS\s+(\S+)/i.exec(rest) ?? [];
      stages.push({
        name: name ?? String(stages.length),
        workdir: "/",
        steps: [],
        environment: {},
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${keyword} before FROM`);
    if (keyword === "WORKDIR") stage.workdir = rest;
    else if (keyword === "ENV") Object.assign(stage.environment, environmentPairs(rest));
    else if (keyword === "COPY") stage.steps.push({ kind: "copy", copy: parseCopy(rest) });
    else if (keyword === "RUN") stage.steps.push({ kind: "run", command: rest });
    else if (keyword === "CMD") {
      if (!rest.startsWith("[")) throw new Error(`CMD must be in exec form: ${rest}`);
      stage.command = JSON.parse(rest) as string[];
    } else if (keyword === "ADD")
      throw new Error("ADD is not reproduced by the image test; use COPY");
  }
  return stages;
}
