// A parent that does not reap its child until told to: `node zombie-parent.ts command args…`.
// It prints {"child": pid}, then blocks its event loop on a read of stdin, so when the child is
// killed it stays an unreaped zombie (Node reaps children only from its event loop). A line on
// stdin lets it go on: it reaps the child and exits.
import { spawn } from "node:child_process";
import { readSync } from "node:fs";

const [command, ...parameters] = process.argv.slice(2);
if (!command) throw new Error("usage: zombie-parent.ts command [args…]");
const child = spawn(command, parameters, { stdio: ["ignore", "inherit", "inherit"] });
process.stdout.write(`${JSON.stringify({ child: child.pid })}\n`);
const buffer = Buffer.alloc(1);
try {
  readSync(0, buffer, 0, 1, null);
} catch {
  // stdin closed: go on all the same.
}
child.kill("SIGKILL");
child.once("exit", () => process.exit(0));
if (child.exitCode !== null || child.signalCode !== null) process.exit(0);
