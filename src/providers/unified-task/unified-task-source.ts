import type { ProviderUpdate } from "../generation-provider.ts";
import type { UnifiedTaskClient } from "./unified-task-client.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import { lostTaskUpdate, readTask, type TaskReading } from "./unified-task-updates.ts";

/** One read of a task by id: what it says, or that the provider does not know it. */
export type TaskSourceRead =
  | { kind: "task"; reading: TaskReading }
  | { kind: "missing"; reason: string };

/** Where the poller reads tasks; other providers (fal, BytePlus) bring their own. */
export interface TaskSource {
  label: string;
  read(
    providerJobId: string,
    call: { maxAttempts: number; signal: AbortSignal },
  ): Promise<TaskSourceRead>;
  lost(providerJobId: string): ProviderUpdate;
}

/** The unified-task API as a TaskSource: `GET /v1/tasks/{id}` read in the dialect. */
export function unifiedTaskSource(
  client: UnifiedTaskClient,
  dialect: UnifiedTaskDialect,
): TaskSource {
  return {
    label: dialect.label,
    async read(providerJobId, call) {
      const answer = await client.getTask(providerJobId, call);
      if (answer.kind === "missing") return answer;
      return { kind: "task", reading: readTask(dialect, answer.task) };
    },
    lost: (providerJobId) => lostTaskUpdate(dialect, providerJobId),
  };
}
