import { parseArgs } from "node:util";
import { commands, messageActions } from "../../commands/index.ts";
import { buildSlackManifest } from "./manifest.ts";

// `npm run slack:manifest` prints the Socket Mode manifest;
// `npm run slack:manifest -- --request-url https://bot.example.com` the HTTP one.
const { values } = parseArgs({
  options: { "request-url": { type: "string" }, name: { type: "string" } },
});
const manifest = buildSlackManifest(commands, messageActions, {
  requestUrl: values["request-url"],
  ...(values.name ? { name: values.name } : {}),
});
process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
