import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { noChatMetrics } from "../../src/observability/chat-metrics.ts";
import { createChatMetrics } from "../../src/observability/metrics.ts";

describe("chat metrics", () => {
  it("records acknowledgements by platform, API errors by code and delivery failures by cause", async () => {
    const registry = new Registry();
    const metrics = createChatMetrics(registry);
    metrics.acknowledged("discord", 0.02);
    metrics.acknowledged("discord", 4);
    // A clock that stepped back never makes a negative latency.
    metrics.acknowledged("slack", -1);
    metrics.apiError("slack", "ratelimited");
    metrics.apiError("slack", "ratelimited");
    metrics.apiError("discord", "network");
    metrics.deliveryFailed("discord", "too_large");
    const text = await registry.metrics();
    expect(text).toContain("# TYPE seedance_acknowledgement_seconds histogram");
    expect(text).toContain(
      'seedance_acknowledgement_seconds_bucket{le="0.025",platform="discord"} 1',
    );
    expect(text).toContain('seedance_acknowledgement_seconds_bucket{le="3",platform="discord"} 1');
    expect(text).toContain('seedance_acknowledgement_seconds_count{platform="discord"} 2');
    expect(text).toContain('seedance_acknowledgement_seconds_sum{platform="slack"} 0');
    expect(text).toContain('seedance_chat_api_errors_total{platform="slack",code="ratelimited"} 2');
    expect(text).toContain('seedance_chat_api_errors_total{platform="discord",code="network"} 1');
    expect(text).toContain(
      'seedance_delivery_failures_total{platform="discord",cause="too_large"} 1',
    );
  });

  it("adapters without metrics report to a recorder that does nothing", () => {
    expect(() => {
      noChatMetrics.acknowledged("discord", 1);
      noChatMetrics.apiError("discord", "500");
      noChatMetrics.deliveryFailed("discord", "upload_error");
    }).not.toThrow();
  });
});
