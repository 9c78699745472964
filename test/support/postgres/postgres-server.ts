import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type PostgresBinaries, postgresBinaries } from "./postgres-binaries.ts";

/** How the tests reach the server; each test file makes its own databases on it (test-databases.ts). */
export interface PostgresServerAddress {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface PostgresServer {
  address: PostgresServerAddress;
  stop(): Promise<void>;
}

const runPrefix = "seedance-postgres-run-";
const host = "127.0.0.1";
// Durability is traded for speed: the cluster lives only as long as the test run.
const serverSettings = [
  `listen_addresses=${host}`,
  "unix_socket_directories=",
  "fsync=off",
  "synchronous_commit=off",
  "full_page_writes=off",
  "autovacuum=off",
  "jit=off",
  "max_connections=300",
  "shared_buffers=32MB",
];

/**
 * Runs postgres under a small shell that stops it (fast shutdown) as soon as its standard input closes:
 * when stop() closes it, and equally when the test process dies, even by SIGKILL. The shell exits when
 * postgres does, with its status.
 */
const watchdog = `exec 3<&0 </dev/null
"$0" "$@" 3<&- &
server=$!
{ read line <&3; kill -INT "$server"; } >/dev/null 2>&1 &
exec 3<&-
wait "$server"`;

const run = promisify(execFile);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readNumber(path: string): Promise<number | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  const value = Number(text?.split("\n")[0]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Removes what runs whose test process is gone left behind: their server, if still up, and their files. */
async function removeLeftovers(): Promise<void> {
  const names = (await readdir(tmpdir())).filter((name) => name.startsWith(runPrefix));
  for (const name of names) {
    const directory = join(tmpdir(), name);
    const owner = await readNumber(join(directory, "owner.pid"));
    if (owner === undefined) {
      // A run that is still setting up has not written its owner yet: leave young ones alone.
      const age =
        Date.now() - (await stat(directory).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < 10 * 60_000) continue;
    } else if (isAlive(owner)) continue;
    const server = await readNumber(join(directory, "data", "postmaster.pid"));
    // Only a process that is this run's postgres (its command line names the directory) is stopped.
    const command =
      server === undefined ? "" : await readFile(`/proc/${server}/cmdline`, "utf8").catch(() => "");
    if (server !== undefined && command.includes(directory)) process.kill(server, "SIGQUIT");
    await rm(directory, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("No free port.");
  return address.port;
}

async function ownedByServerUser(path: string, binaries: PostgresBinaries): Promise<void> {
  if (binaries.user) await chown(path, binaries.user.uid, binaries.user.gid);
}

async function initialise(binaries: PostgresBinaries, root: string, password: string) {
  const data = join(root, "data");
  await mkdir(data, { mode: 0o700 });
  await ownedByServerUser(data, binaries);
  const passwordFile = join(root, "password");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await ownedByServerUser(passwordFile, binaries);
  await run(
    binaries.initdb,
    [
      `--pgdata=${data}`,
      "--username=postgres",
      `--pwfile=${passwordFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      "--no-sync",
      "--no-instructions",
    ],
    { ...binaries.user, env: { ...process.env, LC_ALL: "C" } },
  );
  await rm(passwordFile);
  return data;
}

/** Starts postgres; resolves once it accepts connections, rejects with its output if it exits first. */
function launch(binaries: PostgresBinaries, data: string, port: number) {
  const settings = serverSettings.flatMap((setting) => ["-c", setting]);
  const child = spawn(
    "/bin/sh",
    ["-c", watchdog, binaries.postgres, "-D", data, "-p", `${port}`, ...settings],
    {
      ...binaries.user,
      stdio: ["pipe", "ignore", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let output = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      output = (output + chunk).slice(-4_000);
      if (!output.includes("database system is ready to accept connections")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("error", reject);
    const timer = setTimeout(
      () => reject(new Error(`PostgreSQL did not start:\n${output}`)),
      60_000,
    );
    timer.unref();
    void exited.then(() => reject(new Error(`PostgreSQL exited while starting:\n${output}`)));
  });
  return { child, ready, exited };
}

async function stopServer(child: ChildProcess, exited: Promise<void>, data: string): Promise<void> {
  child.stdin?.end();
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000).unref()),
  ]);
  if (stopped) return;
  const server = await readNumber(join(data, "postmaster.pid"));
  if (server) process.kill(server, "SIGQUIT");
  await exited;
}

/** One PostgreSQL cluster in a fresh directory under the OS temporary directory, on a free port. */
export async function startPostgresServer(): Promise<PostgresServer> {
  await removeLeftovers();
  const binaries = postgresBinaries();
  const root = await mkdtemp(join(tmpdir(), runPrefix));
  await writeFile(join(root, "owner.pid"), `${process.pid}\n`);
  await chmod(root, 0o755);
  const password = randomBytes(18).toString("base64url");
  try {
    const data = await initialise(binaries, root, password);
    // Another process may take the free port before postgres binds it; then try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const { child, ready, exited } = launch(binaries, data, port);
      try {
        await ready;
      } catch (error) {
        if (attempt >= 5) throw error;
        continue;
      }
      return {
        address: { host, port, user: "postgres", password },
        async stop() {
          await stopServer(child, exited, data);
          await rm(root, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
