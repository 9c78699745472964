import { once } from "node:events";
import { parentPort, Worker } from "node:worker_threads";

/** Methods a worker serves: plain data in, plain data (or a promise of it) out. */
export type Handlers = Record<string, (...args: never[]) => unknown>;

interface Call {
  id: number;
  method: string;
  args: unknown[];
}

type Reply = { id: number; result: unknown } | { id: number; error: string };

/** Inside a worker: answers each call with its handler's result (awaited) or error message. */
export function serve(handlers: Handlers): void {
  const port = parentPort;
  if (!port) throw new Error("run me as a worker");
  port.on("message", async (call: Call) => {
    try {
      const handler = handlers[call.method] as ((...args: unknown[]) => unknown) | undefined;
      if (!handler) throw new Error(`no method ${call.method}`);
      port.postMessage({ id: call.id, result: await handler(...call.args) } satisfies Reply);
    } catch (error) {
      port.postMessage({ id: call.id, error: String(error) } satisfies Reply);
    }
  });
  port.postMessage({ ready: true });
}

/** The other side: `call("method", ...args)` resolves with the worker's answer. */
export async function startWorker<Methods extends Handlers>(url: URL, workerData?: unknown) {
  const worker = new Worker(url, { workerData });
  const waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  let next = 0;
  const [first] = (await Promise.race([
    once(worker, "message"),
    once(worker, "error").then(([error]) => {
      throw error;
    }),
  ])) as [unknown];
  if (!(first as { ready?: boolean }).ready) throw new Error("the worker did not start");
  worker.on("message", (reply: Reply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if ("error" in reply) pending.reject(new Error(reply.error));
    else pending.resolve(reply.result);
  });
  return {
    call<Name extends keyof Methods & string>(
      method: Name,
      ...args: Parameters<Methods[Name]>
    ): Promise<Awaited<ReturnType<Methods[Name]>>> {
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ id, method, args } satisfies Call);
      });
    },
    terminate: () => worker.terminate(),
  };
}
