import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Measured on the 2-core machine (README, Development): forks without per-file isolation
    // load the shared modules once per worker instead of once per file, and one worker per core
    // (vitest's default is one fewer) keeps both busy while tests wait on loopback I/O.
    pool: "forks",
    isolate: false,
    maxWorkers: "100%",
    // One real PostgreSQL for the run; test files make their own databases on it.
    globalSetup: ["test/support/postgres/global-setup.ts"],
    // Generous on purpose: waits are for conditions (test/support/wait-until.ts gives up after
    // 30 s and says what it waited for), and a loaded 2-core machine may be slow, never wrong: a test
    // that starts three real bot processes one after another took over 60 s at load average 12.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll waits for a condition like wait-until does (30 s), not vitest's default 1 s, which a
    // browser test on a loaded machine can miss without anything being wrong.
    expect: { poll: { timeout: 30_000 } },
  },
});
