// Run by data-directory-lock.test.ts: `node lock-holder.ts DATA_DIR [--claim-own-pid]`. Takes the
// DATA_DIR lock and holds it until killed, printing "locked <pid>"; or prints the refusal and exits 1.
// With --claim-own-pid it first writes its own pid into the lock file, as two containers that
// both run as PID 1 would see it.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../src/errors.ts";
import { lockDataDirectory } from "../../src/util/data-directory-lock.ts";

const [directory, option] = process.argv.slice(2);
if (!directory) throw new Error("usage: lock-holder.ts DATA_DIR [--claim-own-pid]");
if (option === "--claim-own-pid")
  writeFileSync(join(directory, "seedance-bot.lock"), String(process.pid));
try {
  await lockDataDirectory(directory);
  process.stdout.write(`locked ${process.pid}\n`);
  setInterval(() => {}, 60_000);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
