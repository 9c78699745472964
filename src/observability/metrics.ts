import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type Job, pendingStates } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { HttpServer } from "../server/http-server.ts";
import { type OperationsAccess, operationsAccess } from "../server/operations-access.ts";
import type { ChatMetrics } from "./chat-metrics.ts";

export interface MetricsSources {
  store: JobStore;
  onJobChange(listener: (job: Job) => void): () => void;
  onProviderConnection(listener: (connected: boolean) => void): () => void;
  /** The leases this instance holds (name#token), when instances share a database. */
  heldLeases?(): string[];
}

const minutes = [30, 60, 120, 300, 600, 900, 1200, 1800, 2700];
const seconds = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300];

/**
 * Prometheus metrics on a registry of our own, served at GET /metrics to those `access` allows
 * (by default, requests from this machine only).
 */
export function registerMetrics(
  server: HttpServer,
  sources: MetricsSources,
  access: OperationsAccess = operationsAccess(),
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "seedance_" });
  const transitions = new Counter({
    name: "seedance_job_transitions_total",
    help: "Job state changes, by the state entered",
    labelNames: ["state"],
    registers: [registry],
  });
  new Gauge({
    name: "seedance_leases_held",
    help: "Leases this instance holds: the provider follower's (0 or 1), Discord shards' and jobs' work",
    labelNames: ["lease"],
    registers: [registry],
    collect() {
      const held = sources.heldLeases?.() ?? [];
      const follower = held.filter((name) => name.startsWith("provider-follower#")).length;
      const shards = held.filter((name) => name.startsWith("discord-shard:")).length;
      this.set({ lease: "provider_follower" }, follower);
      this.set({ lease: "discord_shard" }, shards);
      this.set({ lease: "job" }, held.length - follower - shards);
    },
  });
  new Gauge({
    name: "seedance_jobs_pending",
    help: "Jobs submitting, queued or running at the provider",
    registers: [registry],
    async collect() {
      this.set((await sources.store.listByStates(pendingStates)).length);
    },
  });
  const queueToDone = new Histogram({
    name: "seedance_job_queue_to_done_seconds",
    help: "From the provider accepting a job to its result (success or failure)",
    labelNames: ["outcome"],
    buckets: minutes,
    registers: [registry],
  });
  const doneToDelivered = new Histogram({
    name: "seedance_job_done_to_delivered_seconds",
    help: "From the provider's result to the video posted in chat",
    buckets: seconds,
    registers: [registry],
  });
  const spend = new Counter({
    name: "seedance_spend_total",
    help: "Provider charges recorded on delivered jobs (provider currency)",
    registers: [registry],
  });
  const streamEvents = new Counter({
    name: "seedance_provider_stream_events_total",
    help: "Provider event stream connections and losses",
    labelNames: ["event"],
    registers: [registry],
  });

  sources.onJobChange((job) => {
    transitions.inc({ state: job.state });
    if (
      (job.state === "succeeded" || job.state === "failed") &&
      job.submittedAt &&
      job.completedAt
    ) {
      queueToDone.observe({ outcome: job.state }, (job.completedAt - job.submittedAt) / 1000);
    }
    if (job.state === "delivered" && job.completedAt && job.deliveredAt) {
      doneToDelivered.observe((job.deliveredAt - job.completedAt) / 1000);
      if (job.cost) spend.inc(job.cost);
    }
  });
  sources.onProviderConnection((connected) => {
    streamEvents.inc({ event: connected ? "connected" : "lost" });
  });

  server.route("GET", "/metrics", async (request, response) => {
    if (!access.allows(request)) return access.refuse(response);
    const body = await registry.metrics();
    response.writeHead(200, { "content-type": registry.contentType });
    response.end(body);
  });
  return registry;
}

// Discord wants an answer within 3 s and Slack within 3 s: the buckets resolve well below that.
const acknowledgementBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

/** The chat-side metrics, on the registry `registerMetrics` serves at /metrics. */
export function createChatMetrics(registry: Registry): ChatMetrics {
  const acknowledgement = new Histogram({
    name: "seedance_acknowledgement_seconds",
    help: "From an interaction (slash command, button, form, shortcut, playground message) reaching the bot to its acknowledgement",
    labelNames: ["platform"],
    buckets: acknowledgementBuckets,
    registers: [registry],
  });
  const apiErrors = new Counter({
    name: "seedance_chat_api_errors_total",
    help: "Chat platform API calls refused or failed, by HTTP status, Slack error code, or network",
    labelNames: ["platform", "code"],
    registers: [registry],
  });
  const deliveryFailures = new Counter({
    name: "seedance_delivery_failures_total",
    help: "Videos not uploaded as a file on an attempt, by cause (too_large is then linked)",
    labelNames: ["platform", "cause"],
    registers: [registry],
  });
  return {
    acknowledged: (platform, seconds) =>
      acknowledgement.observe({ platform }, Math.max(0, seconds)),
    apiError: (platform, code) => apiErrors.inc({ platform, code }),
    deliveryFailed: (platform, cause) => deliveryFailures.inc({ platform, cause }),
  };
}
