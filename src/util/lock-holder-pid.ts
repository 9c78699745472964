import { readFile, stat } from "node:fs/promises";

/** Linux's dev_t split the way /proc/locks prints it (`major:minor:inode`, the first two in hex). */
function deviceNumbers(device: number): { major: number; minor: number } {
  const value = BigInt(device);
  const major = Number(((value >> 8n) & 0xfffn) | ((value >> 32n) & ~0xfffn));
  const minor = Number((value & 0xffn) | ((value >> 12n) & ~0xffn));
  return { major, minor };
}

/**
 * The process holding a POSIX lock on `path`, as the kernel reports it in /proc/locks (Linux),
 * in this process's PID namespace. Only used to name the holder in a message: undefined when the
 * kernel does not say (another system, or a holder in another container).
 */
export async function lockHolderPid(path: string): Promise<number | undefined> {
  try {
    const [file, locks] = await Promise.all([stat(path), readFile("/proc/locks", "utf8")]);
    const { major, minor } = deviceNumbers(file.dev);
    for (const line of locks.split("\n")) {
      // "1: POSIX  ADVISORY  WRITE 14615 fe:00:2179649 1073741824 1073742335"
      const fields = line.trim().split(/\s+/);
      if (fields[1] !== "POSIX") continue;
      const [lockMajor, lockMinor, inode] = (fields[5] ?? "").split(":");
      const pid = Number(fields[4]);
      if (
        Number.parseInt(lockMajor ?? "", 16) === major &&
        Number.parseInt(lockMinor ?? "", 16) === minor &&
        Number(inode) === file.ino &&
        Number.isInteger(pid) &&
        pid > 0
      ) {
        return pid;
      }
    }
  } catch {
    // No /proc/locks here: the message goes without a pid.
  }
  return undefined;
}
