import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import {
  chromiumAvailable,
  chromiumPath,
  launchChromium,
  recordCardPhases,
} from "../support/browser.ts";

const artifacts = join(import.meta.dirname, "..", "artifacts");
const tinyPng = join(import.meta.dirname, "..", "fixtures", "media", "tiny.png");

if (!chromiumAvailable) {
  console.warn(
    `Skipping the browser tests: ${chromiumPath} is missing (install it with: apt-get install -y chromium).`,
  );
}

/** The parts of page objects these tests read (the project's TypeScript has no DOM types). */
interface PageVideo {
  readyState: number;
  duration: number;
  addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
}

/** The phases a card went through, as the page's observer saw them. */
function phasesOf(page: Page, jobId: string): Promise<string[]> {
  return page.evaluate(`window.seenPhases[${JSON.stringify(jobId)}] ?? []`) as Promise<string[]>;
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel("Message", { exact: true });
  await box.fill(text);
  await box.press("Enter");
}

async function waitUntilPlayable(card: Locator): Promise<{ readyState: number; duration: number }> {
  const video = card.locator("video");
  await video.waitFor();
  await video.evaluate(
    (element: PageVideo) =>
      new Promise<void>((resolve) => {
        if (element.readyState >= 3) resolve();
        else element.addEventListener("canplay", () => resolve(), { once: true });
      }),
  );
  return await video.evaluate((element: PageVideo) => ({
    readyState: element.readyState,
    duration: element.duration,
  }));
}

describe.skipIf(!chromiumAvailable)("playground in Chromium", () => {
  let stack: PlaygroundStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startPlaygroundStack({ delayMs: 600 }),
      launchChromium(),
    ]);
    await mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1180, height: 900 } });
    await context.addInitScript(recordCardPhases);
    page = await context.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('#connection[data-state="live"]').waitFor();
  });

  afterEach(async () => {
    await context?.close();
  });

  it("a first-time user asks for a video and watches the card go queued → running → done, then plays it", async () => {
    await expect(page.locator("#simulated-banner").isVisible()).resolves.toBe(true);
    await send(page, "/video a paper boat --dur 4");
    const card = page.locator("article.card").first();
    await card.waitFor();
    const jobId = (await card.getAttribute("data-job-id")) ?? "";
    await page.locator(`article.card[data-job-id="${jobId}"][data-phase="done"]`).waitFor();
    const phases = (await phasesOf(page, jobId)).filter((phase) => phase !== "finishing");
    expect(phases).toEqual(["queued", "running", "done"]);
    expect(await card.locator(".badge.simulated").isVisible()).toBe(true);
    const media = await waitUntilPlayable(card);
    expect(media.readyState).toBeGreaterThanOrEqual(2);
    expect(media.duration).toBeGreaterThan(0);
    // The player shows the poster frame until it plays: a JPEG the page can load.
    const video = card.locator("video");
    expect(await video.getAttribute("poster")).toBe(`api/posters/${jobId}`);
    const posterType = await video.evaluate(async (element: { poster: string }) => {
      const response = await fetch(element.poster);
      return response.headers.get("content-type");
    });
    expect(posterType).toBe("image/jpeg");
  });

  it("🔁 on a result makes a second, separate result in the same thread", async () => {
    await send(page, "/video a paper boat drifting on a pond at dawn --dur 4");
    await page.locator('article.card[data-phase="done"]').waitFor();
    await page.getByRole("button", { name: "React 🔁 to make another take" }).click();
    await expect
      .poll(() => page.locator('article.card[data-phase="done"]').count(), { timeout: 10_000 })
      .toBe(2);
    const cards = page.locator("article.card");
    const jobIds = await Promise.all(
      [0, 1].map(async (index) => (await cards.nth(index).getAttribute("data-job-id")) ?? ""),
    );
    expect(new Set(jobIds).size).toBe(2);
    await waitUntilPlayable(cards.nth(0));
    await waitUntilPlayable(cards.nth(1));
    expect(await cards.nth(1).locator(".details").textContent()).toContain(
      `another take of ${jobIds[0]}`,
    );
    await page.setViewportSize({ width: 1180, height: 1320 });
    // Played once and paused mid-clip: a real frame, and no loading spinner in the controls.
    await page.evaluate(`Promise.all([...document.querySelectorAll(".player video")].map(async (video) => {
      video.muted = true;
      await video.play();
      video.pause();
      await new Promise((resolve) => { video.addEventListener("seeked", resolve, { once: true }); video.currentTime = 2; });
    }))`);
    await page.locator("#log").evaluate((log: { scrollTop: number }) => {
      log.scrollTop = 0;
    });
    await page.screenshot({ path: join(artifacts, "playground-thread.png") });
  });

  it("an image dropped with /animate makes an image-to-video job", async () => {
    const bytes = [...(await readFile(tinyPng))];
    const dataTransfer = await page.evaluateHandle(
      `((bytes) => { const transfer = new DataTransfer(); transfer.items.add(new File([new Uint8Array(bytes)], "boat.png", { type: "image/png" })); return transfer; })(${JSON.stringify(bytes)})`,
    );
    await page.dispatchEvent("#channel", "dragenter", { dataTransfer });
    await page.dispatchEvent("#channel", "drop", { dataTransfer });
    await page.locator(".attachment.ready").waitFor();
    await send(page, "/animate the boat sets sail --dur 4");
    const card = page.locator("article.card").first();
    await card.waitFor();
    expect(await card.locator(".badge.mode").textContent()).toBe("image to video");
    expect(await card.locator(".card-inputs img").count()).toBe(1);
    const jobId = (await card.getAttribute("data-job-id")) ?? "";
    const job = await stack.service.getJob(jobId);
    expect(job?.request.mode).toBe("image");
    const local = stack.mediaHost.resolveLocalPath(job?.request.startImage?.url ?? "");
    expect(local && (await readFile(local)).equals(await readFile(tinyPng))).toBe(true);
    await page.locator(`article.card[data-job-id="${jobId}"][data-phase="done"]`).waitFor();
  });

  it("an invalid flag is explained inline in the thread and nothing is generated", async () => {
    const before = stack.submissions();
    await send(page, "/video a paper boat --dur 99");
    const error = page.locator("article.error");
    await error.waitFor();
    expect(await error.textContent()).toContain("--dur 99 is not valid");
    expect(await page.locator("article.card").count()).toBe(0);
    expect(stack.submissions()).toBe(before);
    await expect.poll(() => page.evaluate("document.activeElement?.id")).toBe("composer-input");
  });
});
