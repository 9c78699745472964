import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { commands, messageActions } from "../../commands/index.ts";
import { buildSlackManifest } from "./manifest.ts";

// `npm run --silent slack:manifest > manifest.json` (without --silent npm adds its own banner to
// stdout), or `npm run slack:manifest -- --out manifest.json`: the Socket Mode manifest.
// `--request-url https://bot.example.com` gives the HTTP one.
const usage =
  "usage: npm run --silent slack:manifest -- [--request-url https://bot.example.com] [--name Seedance] [--out manifest.json]";
/** Slack's limit on an app's name. */
const maxNameLength = 35;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        "request-url": { type: "string" },
        name: { type: "string" },
        out: { type: "string" },
      },
    }).values;
  } catch (error) {
    // parseArgs says which option was unknown or lacked its value.
    return fail(`${(error as Error).message.split("\n")[0]} (${usage})`);
  }
}

function httpsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(
      `--request-url must be an https URL such as https://bot.example.com, not "${value}"`,
    );
  }
  if (url.protocol !== "https:" || !url.hostname)
    fail(`--request-url must be an https URL (Slack only calls https), not "${value}"`);
  if (url.search || url.hash)
    fail(`--request-url must not carry a query or a fragment: "${value}"`);
  return url.href;
}

const values = parse();
const requestUrl =
  values["request-url"] === undefined ? undefined : httpsUrl(values["request-url"]);
const name = values.name?.trim();
if (name !== undefined && (name.length === 0 || name.length > maxNameLength))
  fail(`--name must be 1 to ${maxNameLength} characters (Slack's limit), not "${values.name}"`);
const manifest = buildSlackManifest(commands, messageActions, {
  requestUrl,
  ...(name ? { name } : {}),
});
const text = `${JSON.stringify(manifest, null, 2)}\n`;
if (values.out) {
  try {
    writeFileSync(values.out, text);
  } catch (error) {
    fail(`Could not write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  process.stderr.write(`Wrote the Slack app manifest to ${values.out}\n`);
} else {
  process.stdout.write(text);
}
