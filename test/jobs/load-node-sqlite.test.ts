import { afterEach, expect, it } from "vitest";
import {
  loadNodeSqlite,
  withoutSqliteExperimentalWarning,
} from "../../src/jobs/load-node-sqlite.ts";

const emitWarning = process.emitWarning;
const sqliteMessage = "SQLite is an experimental feature and might change at any time";

afterEach(() => {
  process.emitWarning = emitWarning;
});

it("holds back only node:sqlite's ExperimentalWarning and restores emitWarning", () => {
  // Vitest runs with ExperimentalWarning disabled, so what reaches emitWarning is recorded instead.
  const forwarded: unknown[][] = [];
  const recorder = (...args: unknown[]) => {
    forwarded.push(args);
  };
  process.emitWarning = recorder as typeof process.emitWarning;
  const result = withoutSqliteExperimentalWarning(() => {
    process.emitWarning(sqliteMessage, "ExperimentalWarning");
    process.emitWarning(sqliteMessage, { type: "ExperimentalWarning" });
    process.emitWarning("VM Modules is an experimental feature", "ExperimentalWarning");
    process.emitWarning(sqliteMessage, "OtherWarning", "CODE1");
    process.emitWarning(sqliteMessage);
    return "loaded";
  });
  expect(result).toBe("loaded");
  expect(forwarded).toEqual([
    ["VM Modules is an experimental feature", "ExperimentalWarning"],
    [sqliteMessage, "OtherWarning", "CODE1"],
    [sqliteMessage],
  ]);
  expect(process.emitWarning).toBe(recorder);
});

it("restores emitWarning when loading throws", () => {
  expect(() =>
    withoutSqliteExperimentalWarning(() => {
      throw new Error("boom");
    }),
  ).toThrow("boom");
  expect(process.emitWarning).toBe(emitWarning);
});

it("loads node:sqlite", () => {
  expect(typeof loadNodeSqlite().DatabaseSync).toBe("function");
});
