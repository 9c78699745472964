import { mkdir, truncate } from "node:fs/promises";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError } from "../errors.ts";
import { loadNodeSqlite } from "../jobs/load-node-sqlite.ts";
import { lockHolderPid } from "./lock-holder-pid.ts";

const busy = 5;
const notADatabase = 26;
/** A process killed a moment ago may still be closing its files: how long it gets to let go. */
const dyingHolderMs = 1_000;
const retryEveryMs = 100;

function sqliteCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === "number" ? code & 0xff : undefined;
}

/** Opens the lock file and takes SQLite's exclusive lock on it (an fcntl lock), or throws. */
function takeLock(path: string): DatabaseSync {
  const { DatabaseSync } = loadNodeSqlite();
  const database = new DatabaseSync(path, { timeout: 0 });
  try {
    database.exec("PRAGMA locking_mode=EXCLUSIVE");
    database.exec("PRAGMA journal_mode=MEMORY");
    // Never committed: the lock lasts as long as the connection, that is the process.
    database.exec("BEGIN EXCLUSIVE");
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/** Locks held for the life of the process, so they are not collected while it runs. */
const held = new Set<DatabaseSync>();

/**
 * One bot process per DATA_DIR: two would both resume the same jobs. The lock is an exclusive
 * fcntl lock on `DATA_DIR/seedance-bot.lock` (through SQLite), which the operating system drops
 * the moment the process dies, however it dies and whatever its PID: a crashed bot, or one that
 * is still an unreaped zombie, never blocks a restart, and PIDs reused across containers sharing
 * one volume never let a second bot in. A held lock is retried for `waitMs` (a bot killed a moment
 * ago may still be closing its files), then refused. The file itself is left in place: removing
 * it could let a later bot lock a new file while another still holds the old one.
 */
export async function lockDataDirectory(
  directory: string,
  { waitMs = dyingHolderMs }: { waitMs?: number } = {},
): Promise<() => Promise<void>> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new ConfigError(
      `Could not create DATA_DIR=${directory} (${(error as NodeJS.ErrnoException).code}); check that it is writable.`,
    );
  }
  const path = join(directory, "seedance-bot.lock");
  const deadline = Date.now() + waitMs;
  let takenOver = false;
  for (;;) {
    try {
      const database = takeLock(path);
      held.add(database);
      return async () => {
        if (!held.delete(database)) return;
        database.close();
      };
    } catch (error) {
      const code = sqliteCode(error);
      if (code === busy && Date.now() < deadline) {
        await sleep(retryEveryMs);
        continue;
      }
      if (code === busy) {
        const pid = await lockHolderPid(path);
        throw new ConfigError(
          `Another seedance-bot${pid ? ` (pid ${pid})` : ""} is using DATA_DIR=${directory}; stop it, or give this one its own DATA_DIR.`,
        );
      }
      // A PID file from an older version: nobody holds it (SQLite read it under a shared lock).
      if (code === notADatabase && !takenOver) {
        takenOver = true;
        await truncate(path, 0);
        continue;
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(
        `Could not lock DATA_DIR=${directory} (${reason}); check that it is writable.`,
      );
    }
  }
}
