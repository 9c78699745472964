import type * as NodeSqlite from "node:sqlite";

// Node 22 up to 24.14 emit "ExperimentalWarning: SQLite is an experimental feature..." once, when node:sqlite is
// first loaded. A static import would load it before any code here could run, so the module is loaded on demand
// with exactly that warning held back; every other warning goes through untouched.

const sqliteWarningMessage = "SQLite is an experimental feature";

function isSqliteExperimentalWarning(warning: unknown, typeOrOptions: unknown): boolean {
  const message = warning instanceof Error ? warning.message : String(warning);
  const type =
    warning instanceof Error && warning.name !== "Error"
      ? warning.name
      : typeof typeOrOptions === "string"
        ? typeOrOptions
        : typeof typeOrOptions === "object" && typeOrOptions !== null && "type" in typeOrOptions
          ? String(typeOrOptions.type)
          : undefined;
  return type === "ExperimentalWarning" && message.startsWith(sqliteWarningMessage);
}

/** Runs `load` with Node's SQLite ExperimentalWarning suppressed, then restores `process.emitWarning`. */
export function withoutSqliteExperimentalWarning<T>(load: () => T): T {
  const emitWarning = process.emitWarning;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = emitWarning;
  }
}

export function loadNodeSqlite(): typeof NodeSqlite {
  return withoutSqliteExperimentalWarning(() => process.getBuiltinModule("node:sqlite"));
}
