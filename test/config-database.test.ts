import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";

describe("config: the database", () => {
  it("keeps the embedded store without DATABASE_URL", () => {
    expect(loadConfig({}).database).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: " ", DATABASE_POOL_SIZE: "4" }).database).toBeUndefined();
  });

  it("selects PostgreSQL with a postgres:// URL, with a pool of 10 unless told", () => {
    const url = "postgres://bot:s3cret@db.internal:5432/seedance";
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ url, poolSize: 10 });
    const other = "postgresql://bot@db/seedance?sslmode=require";
    expect(loadConfig({ DATABASE_URL: other, DATABASE_POOL_SIZE: "25" }).database).toEqual({
      url: other,
      poolSize: 25,
    });
  });

  it("refuses another URL without repeating it, and a pool size out of range", () => {
    const attempt = (environment: Record<string, string>) => {
      try {
        loadConfig(environment);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected a configuration error");
    };
    const message = attempt({ DATABASE_URL: "mysql://bot:s3cret@db/seedance" });
    expect(message).toContain("DATABASE_URL must be a postgres:// URL");
    expect(message).not.toContain("s3cret");
    expect(attempt({ DATABASE_URL: "postgres://db/x", DATABASE_POOL_SIZE: "0" })).toContain(
      'DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "0")',
    );
  });
});
