import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSlackManifest } from "../../../adapters/slack/index.ts";
import { commands, messageActions } from "../../../commands/index.ts";
import { npmCli, pathWith } from "../../support/executables.ts";
import { spawnProcess } from "../../support/spawned-process.ts";

const root = join(import.meta.dirname, "../../..");
const script = join(root, "adapters/slack/print-manifest.ts");
const temporary = mkdtempSync(join(tmpdir(), "seedance-manifest-"));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

async function run(command: string, parameters: string[]) {
  const started = spawnProcess(command, parameters, {
    cwd: root,
    env: { PATH: pathWith(process.execPath), HOME: temporary },
  });
  return { code: await started.exited(), stdout: started.stdout(), stderr: started.stderr() };
}

const manifestScript = (...parameters: string[]) => run(process.execPath, [script, ...parameters]);

// Each case is its own process: side by side.
describe.concurrent("npm run slack:manifest", () => {
  it("with --silent, stdout is the manifest as JSON and nothing else", async () => {
    const outcome = await run(process.execPath, [
      npmCli(),
      "run",
      "--silent",
      "slack:manifest",
      "--",
      "--request-url",
      "https://bot.example.com",
    ]);
    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual(
      buildSlackManifest(commands, messageActions, { requestUrl: "https://bot.example.com" }),
    );
  });

  it("--out writes the JSON to a file and says so on stderr", async () => {
    const file = join(temporary, "manifest.json");
    const outcome = await manifestScript("--out", file, "--name", "Video Bot");
    expect(outcome).toEqual({
      code: 0,
      stdout: "",
      stderr: `Wrote the Slack app manifest to ${file}\n`,
    });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(
      buildSlackManifest(commands, messageActions, { name: "Video Bot" }),
    );
  });

  it.each([
    [["--request-url", "http://bot.example.com"], "--request-url must be an https URL"],
    [["--request-url", "bot.example.com"], "--request-url must be an https URL"],
    [["--request-url", "https://bot.example.com/?a=1"], "must not carry a query"],
    [["--request-url"], "Option '--request-url <value>' argument missing"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--name", ""], "--name must be 1 to 35 characters"],
    [["--name", "x".repeat(36)], "--name must be 1 to 35 characters"],
    [["--out", join(temporary, "missing-folder", "m.json")], "Could not write"],
  ])("%j is refused with one line and exit 2, no stack, no JSON", async (parameters, message) => {
    const outcome = await manifestScript(...parameters);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe("");
    expect(outcome.stderr).toContain(message);
    expect(outcome.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
