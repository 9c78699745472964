import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Row, row } from "./report.ts";
import { mebibytes } from "./statistics.ts";

const child = fileURLToPath(new URL("./heap-trim-child.ts", import.meta.url));
const name = "6. Heap trim";

interface Line {
  msg: string;
  rss: number;
}

/**
 * A real `node --expose-gc` process grows its heap in a burst, then goes quiet: how much resident
 * memory src/util/heap-trim.ts gives back, and how many collections it took (target: one). It was
 * a unit test once; on a loaded machine the process could count two quiet spells, so it lives here.
 */
export async function runHeapTrim(): Promise<{ rows: Row[]; data: unknown }> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", child], {
    timeout: 120_000,
  });
  const lines = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Line);
  const afterBurst = lines.find((line) => line.msg === "after the burst")?.rss ?? 0;
  const quiet = lines.find((line) => line.msg === "quiet")?.rss ?? 0;
  const trims = lines.filter((line) => line.msg === "gave memory back to the system after a burst");
  const givenBack = afterBurst - quiet;
  return {
    rows: [
      row(
        name,
        "collections after one burst and a quiet spell",
        String(trims.length),
        "1",
        trims.length === 1,
      ),
      row(
        name,
        "resident memory given back once quiet (after the burst → quiet)",
        `${mebibytes(givenBack)} (${mebibytes(afterBurst)} → ${mebibytes(quiet)})`,
        "> 60 MiB",
        givenBack > 60 * 1024 ** 2,
      ),
    ],
    data: { afterBurst, quiet, trims: trims.length },
  };
}
