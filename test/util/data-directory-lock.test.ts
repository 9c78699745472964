import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { lockDataDirectory } from "../../src/util/data-directory-lock.ts";
import {
  killSpawnedProcesses,
  processState,
  type SpawnedProcess,
  spawnProcess,
  waitForZombie,
} from "../support/spawned-process.ts";

const holderScript = join(import.meta.dirname, "lock-holder.ts");
const zombieParent = join(import.meta.dirname, "../support/zombie-parent.ts");

const directories: string[] = [];
afterAll(() => {
  killSpawnedProcesses();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** Each test its own DATA_DIR, so they run side by side. */
function dataDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "seedance-lock-"));
  directories.push(directory);
  return directory;
}

async function holder(directory: string, ...options: string[]): Promise<SpawnedProcess> {
  const started = spawnProcess(process.execPath, [holderScript, directory, ...options]);
  await started.waitFor(/locked \d+/, "the lock");
  return started;
}

/** A process that takes the lock, or is refused: its exit code and what it printed. */
async function attempt(directory: string, ...options: string[]) {
  const started = spawnProcess(process.execPath, [holderScript, directory, ...options]);
  const outcome = await Promise.race([
    started.waitFor(/locked \d+/, "the lock").then(() => "locked" as const),
    started.exited().then((code) => code),
  ]);
  return { outcome, stderr: started.stderr(), process: started };
}

describe.concurrent("the DATA_DIR lock", () => {
  it("a second live process is refused with one clear line naming the holder's pid", async () => {
    const directory = dataDirectory();
    const first = await holder(directory);
    const second = await attempt(directory);
    expect(second.outcome).toBe(1);
    expect(second.stderr).toBe(
      `Another seedance-bot (pid ${first.pid}) is using DATA_DIR=${directory}; stop it, or give this one its own DATA_DIR.\n`,
    );
  });

  it("is refused even when the lock file names the second process's own pid", async () => {
    const directory = dataDirectory();
    await holder(directory);
    const second = await attempt(directory, "--claim-own-pid");
    expect(second.outcome).toBe(1);
    expect(second.stderr).toContain(`is using DATA_DIR=${directory}`);
  });

  it("a restart right after SIGKILL takes it, also while the killed process is an unreaped zombie", async () => {
    const directory = dataDirectory();
    for (let round = 0; round < 3; round++) {
      const parent = spawnProcess(
        process.execPath,
        [zombieParent, process.execPath, holderScript, directory],
        { stdio: ["pipe", "pipe", "pipe"] },
      );
      const pid = Number((await parent.waitFor(/"child":(\d+)/, "the holder's pid"))[1]);
      await parent.waitFor(new RegExp(`locked ${pid}`), "the lock");
      process.kill(pid, "SIGKILL");
      await waitForZombie(pid);
      // Its pid is still in use, and nothing was cleaned up: only the kernel released the lock.
      expect(() => process.kill(pid, 0)).not.toThrow();
      const restarted = await attempt(directory);
      expect(restarted.outcome).toBe("locked");
      expect(processState(pid)).toBe("Z");
      // Let the parent reap it, and free the lock for the next round.
      parent.child.stdin?.end();
      expect(await parent.exited()).toBe(0);
      restarted.process.child.kill("SIGKILL");
      await restarted.process.exited();
    }
  });

  it("within one process: refused while held, free again once released", async () => {
    const directory = dataDirectory();
    const unlock = await lockDataDirectory(directory);
    await expect(lockDataDirectory(directory, { waitMs: 0 })).rejects.toThrow(ConfigError);
    await unlock();
    const again = await lockDataDirectory(directory);
    await again();
  });

  it("takes over the PID file an older version left behind", async () => {
    const directory = dataDirectory();
    writeFileSync(join(directory, "seedance-bot.lock"), String(process.pid));
    const unlock = await lockDataDirectory(directory);
    expect(readFileSync(join(directory, "seedance-bot.lock"), "utf8")).not.toBe(
      String(process.pid),
    );
    await unlock();
  });

  it("a DATA_DIR that cannot be created ends with one clear line", async () => {
    const directory = dataDirectory();
    writeFileSync(join(directory, "a-file"), "");
    await expect(lockDataDirectory(join(directory, "a-file", "data"))).rejects.toThrow(
      /^Could not create DATA_DIR=.*a-file\/data \(ENOTDIR\); check that it is writable\.$/,
    );
  });
});
