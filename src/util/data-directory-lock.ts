import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.ts";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One bot process per DATA_DIR: two would both resume the same jobs. A lock left by a dead process
 * is taken over.
 */
export async function lockDataDirectory(directory: string): Promise<() => Promise<void>> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, "seedance-bot.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new ConfigError(
          `Another seedance-bot (pid ${pid}) is using DATA_DIR=${directory}; stop it, or give this one its own DATA_DIR.`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new ConfigError(`Could not lock DATA_DIR=${directory}; check that it is writable.`);
}
