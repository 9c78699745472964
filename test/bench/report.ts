import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** One figure of the benchmark, next to its target; `met` is undefined where there is no target. */
export interface Row {
  scenario: string;
  figure: string;
  value: string;
  target: string;
  met?: boolean;
}

export function row(
  scenario: string,
  figure: string,
  value: string,
  target = "",
  met?: boolean,
): Row {
  return met === undefined
    ? { scenario, figure, value, target }
    : { scenario, figure, value, target, met };
}

const mark = (met: boolean | undefined) => (met === undefined ? "" : met ? "✅" : "❌");

/** A plain-text table for the terminal. */
export function formatTable(rows: readonly Row[]): string {
  const header: Row = {
    scenario: "scenario",
    figure: "figure",
    value: "measured",
    target: "target",
  };
  const all = [header, ...rows];
  const width = (pick: (row: Row) => string) => Math.max(...all.map((entry) => pick(entry).length));
  const widths = [
    width((entry) => entry.scenario),
    width((entry) => entry.figure),
    width((entry) => entry.value),
  ];
  return all
    .map((entry) =>
      [
        entry.scenario.padEnd(widths[0] ?? 0),
        entry.figure.padEnd(widths[1] ?? 0),
        entry.value.padStart(widths[2] ?? 0),
        `${entry.target} ${entry === header ? "" : mark(entry.met)}`.trim(),
      ].join("  "),
    )
    .join("\n");
}

/** The same table as Markdown, for docs/benchmarks.md. */
export function formatMarkdown(rows: readonly Row[]): string {
  const lines = ["| Scenario | Figure | Measured | Target | |", "|---|---|---|---|---|"];
  for (const entry of rows) {
    lines.push(
      `| ${entry.scenario} | ${entry.figure} | ${entry.value} | ${entry.target} | ${mark(entry.met)} |`,
    );
  }
  return lines.join("\n");
}

/** Writes the results, and a `.gitignore` beside them so that neither git nor the linter sees them. */
export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const ignore = join(dirname(path), ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n");
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
