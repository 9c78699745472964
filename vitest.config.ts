import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // One real PostgreSQL for the run; test files make their own databases on it.
    globalSetup: ["test/support/postgres/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
