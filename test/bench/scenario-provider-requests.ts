import { createSilentLogger } from "../../src/logger.ts";
import { createBytePlusProvider } from "../../src/providers/byteplus/index.ts";
import { createFalProvider } from "../../src/providers/fal/index.ts";
import type {
  GenerationProvider,
  ProviderUpdate,
} from "../../src/providers/generation-provider.ts";
import { cadenceInterval } from "../../src/providers/poll-cadence.ts";
import type { CallbackRoute } from "../../src/providers/unified-task/index.ts";
import type { TrackedTask } from "../../src/providers/unified-task/unified-task-tracked-task.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import { startFakeBytePlusServer } from "../fakes/fake-byteplus-server.ts";
import { startFakeFalServer } from "../fakes/fake-fal-server.ts";
import { arkSubmitInput } from "../providers/byteplus/byteplus-test-helpers.ts";
import { falSubmitInput } from "../providers/fal/fal-test-helpers.ts";
import { type Row, row } from "./report.ts";

export interface ProviderRequestSettings {
  jobs: number;
  /** 10 runs a 10-minute generation in 1 minute. */
  speedUp: number;
}

type Flavour = { provider: "fal" | "byteplus"; push: boolean };
const minute = 60_000;

/**
 * fal.ai and BytePlus, each polled and each with webhooks/callbacks: `jobs` 10-minute generations
 * (queued 1 min, then running) against the loopback fakes, time-compressed: the poll cadence is
 * computed from each task's age and expected duration at full scale and its wait divided by
 * `speedUp`, so the requests counted are the ones a real 10 minutes would cost (up to the poller's
 * 1 s ride-along window, which is `speedUp` times wider here: the figures err high).
 */
async function runFlavour(flavour: Flavour, settings: ProviderRequestSettings) {
  const logger = createSilentLogger();
  const server = new HttpServer(logger);
  const address = await server.listen(0, "127.0.0.1");
  const callbackBaseUrl = flavour.push ? `http://127.0.0.1:${address.port}` : undefined;
  // The cadence sees each task's age and expected duration at full scale; its answer is shrunk.
  const { speedUp } = settings;
  const timing = {
    interval: (task: TrackedTask, at: number) => {
      const expected =
        task.expectedDoneAt === undefined ? undefined : task.expectedDoneAt - task.firstSeenAt;
      const fullScale = {
        ...task,
        firstSeenAt: 0,
        ...(expected === undefined ? {} : { expectedDoneAt: expected }),
      };
      return (
        cadenceInterval(fullScale, (at - task.firstSeenAt) * speedUp, { webhooks: flavour.push }) /
        speedUp
      );
    },
  };
  const common = {
    logger,
    pollTiming: timing,
    ...(callbackBaseUrl ? { callbackBaseUrl } : {}),
  };
  const fal = flavour.provider === "fal" ? await startFakeFalServer() : undefined;
  const ark = flavour.provider === "byteplus" ? await startFakeBytePlusServer() : undefined;
  const provider: GenerationProvider & { callbackRoute: CallbackRoute | undefined } = fal
    ? createFalProvider({ apiKey: fal.apiKey, queueUrl: fal.baseUrl, ...common })
    : createBytePlusProvider({ apiKey: ark?.apiKey ?? "", baseUrl: ark?.baseUrl ?? "", ...common });
  if (provider.callbackRoute)
    server.route("POST", provider.callbackRoute.path, provider.callbackRoute.handler);
  const done = new Set<string>();
  let resolveAll: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  await provider.start({
    onUpdate: (update: ProviderUpdate) => {
      if (update.state === "succeeded") done.add(update.providerJobId);
      if (done.size === settings.jobs) resolveAll();
    },
    onConnected: () => {},
    onDisconnected: () => {},
  });
  const at = (virtualMs: number, action: () => Promise<void> | void) =>
    setTimeout(() => void action(), virtualMs / settings.speedUp);
  try {
    for (let index = 0; index < settings.jobs; index++) {
      const input = fal ? falSubmitInput({ duration: 10 }) : arkSubmitInput({ duration: 10 });
      const { providerJobId } = await provider.submit(input);
      at(minute, () => (fal ? fal.start(providerJobId) : ark?.start(providerJobId)));
      at(10 * minute, () => (fal ? fal.complete(providerJobId) : ark?.complete(providerJobId)));
    }
    const deadline = setTimeout(() => resolveAll(), (30 * minute) / speedUp);
    await allDone;
    clearTimeout(deadline);
    const requests = (fal?.requests.length ?? 0) + (ark?.requests.length ?? 0);
    return { delivered: done.size, requestsPerJob: requests / settings.jobs };
  } finally {
    await provider.stop();
    await fal?.close();
    await ark?.close();
    await server.close();
  }
}

export async function runProviderRequests(settings: ProviderRequestSettings) {
  const flavours: Flavour[] = [
    { provider: "fal", push: false },
    { provider: "fal", push: true },
    { provider: "byteplus", push: false },
    { provider: "byteplus", push: true },
  ];
  const results = await Promise.all(flavours.map((flavour) => runFlavour(flavour, settings)));
  const rows: Row[] = results.map((result, index) => {
    const flavour = flavours[index] as Flavour;
    const label = flavour.provider === "fal" ? "fal.ai" : "BytePlus";
    const how = flavour.push ? (flavour.provider === "fal" ? "webhooks" : "callbacks") : "polling";
    const target = flavour.push ? 4 : 15;
    return row(
      "7. Providers",
      `${label} requests per job, 10-minute generation, ${how} (${result.delivered}/${settings.jobs} delivered)`,
      result.requestsPerJob.toFixed(2),
      `≤ ${target}`,
      result.delivered === settings.jobs && result.requestsPerJob <= target,
    );
  });
  return { rows, data: { flavours, results } };
}
