import type { TestProject } from "vitest/node";
import { type PostgresServerAddress, startPostgresServer } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: PostgresServerAddress;
  }
}

/** Vitest globalSetup: one real PostgreSQL for the whole run, stopped and removed at its end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  project.provide("postgres", server.address);
  return () => server.stop();
}
