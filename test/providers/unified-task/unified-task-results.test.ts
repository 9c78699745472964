import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/errors.ts";
import { readAll } from "../simulator/simulator-harness.ts";
import {
  dialects,
  type ProviderUnderTest,
  providerAgainstFake,
  submitInput,
} from "./unified-task-test-helpers.ts";

describe.each(dialects)("%s status and results", (dialect) => {
  let subject: ProviderUnderTest;
  const label = dialect === "aihubmax" ? "AIHubMax" : "EvoLink";

  afterEach(async () => {
    await subject.close();
  });

  it("reads a task's status, retrying a failed read, and a lost task as failed", async () => {
    subject = await providerAgainstFake(dialect, { start: false });
    const { providerJobId: id } = await subject.provider.submit(submitInput(dialect));
    subject.fake.setProgress(id, 10);
    expect(await subject.provider.getStatus(id)).toMatchObject({ state: "running", progress: 10 });
    await subject.fake.complete(id);
    subject.fake.failNext("GET", `/v1/tasks/${id}`, 503);
    expect(await subject.provider.getStatus(id)).toEqual({
      providerJobId: id,
      state: "succeeded",
      progress: 100,
      resultUrl: subject.fake.resultUrlFor(id),
    });
    expect(await subject.provider.getStatus("task-unified-1-gone0000")).toEqual({
      providerJobId: "task-unified-1-gone0000",
      state: "failed",
      error: `${label} no longer knows this task; press 🔁 to try again.`,
    });
  });

  it("downloads the video from the CDN link without sending the API key there", async () => {
    subject = await providerAgainstFake(dialect, { start: false });
    const { providerJobId: id } = await subject.provider.submit(submitInput(dialect));
    await subject.fake.complete(id);
    const status = await subject.provider.getStatus(id);
    const download = await subject.provider.openResult(status.resultUrl ?? "");
    const bytes = await readAll(download.body);
    expect(bytes.length).toBe(download.contentLength);
    expect(download.contentType).toBe("video/mp4");
    expect(subject.fake.cdnRequests).toHaveLength(1);
    expect(subject.fake.cdnRequests[0]?.headers.authorization).toBeUndefined();
  });

  it("says when a link has expired (they last 24 hours)", async () => {
    subject = await providerAgainstFake(dialect, { start: false });
    const error = await subject.provider
      .openResult(`${subject.fake.cdnBaseUrl}/videos/task-unified-1-expired0.mp4`)
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      statusCode: 403,
      message: `Could not download the video from ${label}'s link (HTTP 403); its links last 24 hours.`,
    });
  });
});
