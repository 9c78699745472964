import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import type { AdmissionRules } from "../../src/jobs/job-admission.ts";
import { jobSchemaVersion } from "../../src/jobs/sqlite-job-schema.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { jobStoreContract } from "../contracts/job-store.contract.ts";
import { newJob } from "../contracts/new-job.ts";

const directory = mkdtempSync(join(tmpdir(), "seedance-job-store-"));
let files = 0;

function databasePath(): string {
  files += 1;
  return join(directory, `run-${files}`, "nested", "jobs.db");
}

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

jobStoreContract("sqlite job store", async () => {
  const path = databasePath();
  return {
    store: openSqliteJobStore({ path }),
    reopen: async () => openSqliteJobStore({ path }),
    peer: async () => openSqliteJobStore({ path }),
  };
});

// Each worker is its own thread with its own connection: a real race on the file's write lock.
const raceWorker = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { openSqliteJobStore } = await import(workerData.moduleUrl);
  const store = openSqliteJobStore({ path: workerData.path });
  const gate = new Int32Array(workerData.gate);
  parentPort.postMessage("ready");
  Atomics.wait(gate, 0, 0);
  const won = [];
  for (const id of workerData.ids) {
    const { admission } = workerData;
    const succeeded = admission
      ? (await store.admit({ ...admission.template, id }, admission.rules)).admitted
      : (await store.transition(id, { from: ["succeeded"], to: "delivering" })) !== undefined;
    if (succeeded) won.push(id);
  }
  await store.close();
  parentPort.postMessage(won);
})();
`;

interface RaceAdmission {
  template: ReturnType<typeof newJob>;
  rules: AdmissionRules;
}

function runRaceWorker(
  path: string,
  ids: string[],
  gate: SharedArrayBuffer,
  admission?: RaceAdmission,
) {
  const moduleUrl = new URL("../../src/jobs/sqlite-job-store.ts", import.meta.url).href;
  const workerData = { moduleUrl, path, ids, gate, admission };
  const worker = new Worker(raceWorker, { eval: true, workerData });
  const failed = new Promise<never>((_, reject) => worker.once("error", reject));
  const ready = Promise.race([
    new Promise<void>((resolve) => worker.once("message", () => resolve())),
    failed,
  ]);
  const won = ready.then(() =>
    Promise.race([new Promise<string[]>((resolve) => worker.once("message", resolve)), failed]),
  );
  return { ready, won };
}

describe("sqlite job store on a shared file", () => {
  it("lets one of two stores on the same file win a racing transition", async () => {
    const path = databasePath();
    const first = openSqliteJobStore({ path });
    const second = openSqliteJobStore({ path });
    await first.create(newJob({ state: "succeeded" }));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? first : second).transition("job-1", {
          from: ["succeeded"],
          to: "delivering",
        }),
      ),
    );
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect(await second.get("job-1")).toMatchObject({ state: "delivering", version: 2 });
    await Promise.all([first.close(), second.close()]);
  });

  it("delivers each job once when four threads race for the same twenty jobs", async () => {
    const path = databasePath();
    const store = openSqliteJobStore({ path });
    const ids = Array.from({ length: 20 }, (_, index) => `job-${index}`);
    for (const id of ids) await store.create(newJob({ id, state: "succeeded" }));
    const gate = new SharedArrayBuffer(4);
    const workers = Array.from({ length: 4 }, () => runRaceWorker(path, ids, gate));
    await Promise.all(workers.map((worker) => worker.ready));
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const won = (await Promise.all(workers.map((worker) => worker.won))).flat();
    expect(won.toSorted()).toEqual(ids.toSorted());
    const delivering = await store.listByStates(["delivering"]);
    expect(delivering.map((job) => job.version)).toEqual(ids.map(() => 2));
    await store.close();
  });

  it("overspends no budget when four threads admit forty jobs against it", async () => {
    const path = databasePath();
    const store = openSqliteJobStore({ path });
    const admission = {
      template: newJob(),
      rules: { maxActiveJobsPerUser: 2, budgetsSince: 0, dailySecondsPerUser: 30 },
    };
    const gate = new SharedArrayBuffer(4);
    const workers = Array.from({ length: 4 }, (_, worker) =>
      runRaceWorker(
        path,
        Array.from({ length: 10 }, (_, index) => `job-${worker}-${index}`),
        gate,
        admission,
      ),
    );
    await Promise.all(workers.map((worker) => worker.ready));
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const won = (await Promise.all(workers.map((worker) => worker.won))).flat();
    expect(won).toHaveLength(6);
    const jobs = await store.listByUser("discord", "user-1", 100);
    expect(jobs.map((job) => job.state).toSorted()).toEqual([
      ...Array(2).fill("submitting"),
      ...Array(4).fill("waiting"),
    ]);
    await store.close();
  });

  it("uses WAL, records its schema version and refuses a newer schema", async () => {
    const path = databasePath();
    await openSqliteJobStore({ path }).close();
    const database = new DatabaseSync(path);
    expect(database.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(database.prepare("PRAGMA user_version").get()).toEqual({
      user_version: jobSchemaVersion,
    });
    expect(jobSchemaVersion).toBe(3);
    const indexes = database
      .prepare("PRAGMA index_list(jobs)")
      .all()
      .map((row) => row.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        "jobs_by_state",
        "jobs_by_user",
        "jobs_by_provider_job",
        "jobs_by_space",
        "jobs_by_user_state",
      ]),
    );
    database.exec("PRAGMA user_version = 99");
    database.close();
    expect(() => openSqliteJobStore({ path })).toThrow(/schema version 99/);
  });

  it("upgrades a version-1 database in place, keeping its jobs", async () => {
    const path = databasePath();
    const first = openSqliteJobStore({ path });
    await first.create(newJob({ id: "kept", createdAt: 5_000 }));
    await first.close();
    const database = new DatabaseSync(path);
    database.exec(
      "DROP INDEX jobs_by_space; DROP INDEX jobs_by_user_state; PRAGMA user_version = 1",
    );
    database.close();
    const upgraded = openSqliteJobStore({ path });
    const listed = await upgraded.listCreatedSince({ platform: "discord", spaceId: "guild-1" }, 0);
    expect(listed.map((job) => job.id)).toEqual(["kept"]);
    await upgraded.close();
  });
});
