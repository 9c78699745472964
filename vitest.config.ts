import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Generous on purpose: waits are for conditions (test/support/wait-until.ts gives up after
    // 30 s and says what it waited for), and a loaded 2-core machine may be slow, never wrong.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
