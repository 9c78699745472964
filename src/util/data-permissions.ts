import { chmod, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

export const privateFileMode = 0o600;
export const privateFolderMode = 0o700;

/**
 * From now on, whatever this process creates (the job database and its WAL, media, videos,
 * keys, DATA_DIR itself) is readable by its own user only: files 0600, folders 0700, whatever
 * mode the code creating them asks for.
 */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

export interface TightenOutcome {
  /** Paths whose mode was looser and now is 0600 (files) or 0700 (folders). */
  tightened: string[];
  /** What could not be tightened, or should be by the operator. */
  warnings: string[];
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(3, "0");

/**
 * Tightens what an earlier version (or another umask) left readable by others inside DATA_DIR:
 * every file and folder the bot's user owns, without following links. DATA_DIR itself is only
 * warned about: the operator chose it, and may share it on purpose.
 */
export async function tightenDataDirectory(directory: string): Promise<TightenOutcome> {
  const outcome: TightenOutcome = { tightened: [], warnings: [] };
  const own = process.getuid?.();
  const root = await lstat(directory).catch(() => undefined);
  if (root && (root.mode & 0o077) !== 0) {
    outcome.warnings.push(
      `DATA_DIR=${directory} is open to other users (mode ${octal(root.mode)}); the files in it are not, but chmod 700 it to hide their names too.`,
    );
  }
  const visit = async (folder: string, depth: number): Promise<void> => {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(folder, name);
      const info = await lstat(path).catch(() => undefined);
      if (!info || info.isSymbolicLink() || (own !== undefined && info.uid !== own)) continue;
      const wanted = info.isDirectory() ? privateFolderMode : privateFileMode;
      if ((info.isFile() || info.isDirectory()) && (info.mode & 0o077) !== 0) {
        await chmod(path, wanted).then(
          () => outcome.tightened.push(path),
          (error: NodeJS.ErrnoException) =>
            outcome.warnings.push(
              `Could not make ${path} private (${error.code ?? error.message}).`,
            ),
        );
      }
      if (info.isDirectory() && depth < 4) await visit(path, depth + 1);
    }
  };
  await visit(directory, 0);
  return outcome;
}
