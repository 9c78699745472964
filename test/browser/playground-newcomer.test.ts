import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeInputs } from "../../src/chat/job-summary.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { waitUntil } from "../support/wait-until.ts";

const artifacts = join(import.meta.dirname, "..", "artifacts");
const media = (name: string) => join(import.meta.dirname, "..", "fixtures", "media", name);
const tinyPng = media("tiny.png");
const pictographic = /\p{Extended_Pictographic}/u;

/** Requests the page sent to a path, and how many of them have been answered. */
function watchRequests(page: Page, path: string) {
  const sent: string[] = [];
  let answered = 0;
  page.on("request", (request) => {
    if (request.url().endsWith(path)) sent.push(request.postData() ?? "");
  });
  page.on("requestfinished", (request) => {
    if (request.url().endsWith(path)) answered += 1;
  });
  return { sent, settled: () => sent.length > 0 && answered === sent.length };
}

const ids = (bodies: string[]) =>
  new Set(bodies.map((body) => (JSON.parse(body) as { clientRequestId: string }).clientRequestId));

describe.skipIf(!chromiumAvailable)("playground: what a newcomer meets, in Chromium", () => {
  let stack: PlaygroundStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

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

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  async function open(width = 1180, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('#connection[data-state="live"]').waitFor();
    return page;
  }

  const box = (page: Page) => page.getByLabel("Message", { exact: true });

  it("a refused request keeps the text and the attachment; fixed, it is sent with both", async () => {
    const page = await open();
    await page.setInputFiles("#file-input", tinyPng);
    await page.locator(".attachment.ready").waitFor();
    const refusedText = "/animate the boat sets sail --dur 99";
    await box(page).fill(refusedText);
    await box(page).press("Enter");
    await page.locator("article.error").waitFor();
    expect(await box(page).inputValue()).toBe(refusedText);
    expect(await page.locator(".attachment.ready").count()).toBe(1);
    expect(await page.locator("#composer-status").textContent()).toContain("back in the box");

    await box(page).fill("/animate the boat sets sail --dur 4");
    await box(page).press("Enter");
    const card = page.locator("article.card");
    await card.waitFor();
    expect(await card.locator(".card-inputs img").count()).toBe(1);
    expect(await box(page).inputValue()).toBe("");
    expect(await page.locator(".attachment").count()).toBe(0);
  });

  it("a card's inputs are labelled as the prompt names them: start/end frame, @Image1, @Video1, @Audio1", async () => {
    const page = await open();
    const labelsOf = async (jobCard: ReturnType<Page["locator"]>) =>
      await jobCard.locator(".card-inputs .input-label").allTextContents();

    await page.setInputFiles("#file-input", [tinyPng, media("tiny.jpg")]);
    await expect.poll(() => page.locator(".attachment.ready").count()).toBe(2);
    await box(page).fill("the boat sails from dawn to dusk --dur 4");
    await box(page).press("Enter");
    const frames = page.locator("article.card").nth(0);
    await frames.waitFor();
    expect(await labelsOf(frames)).toEqual(["start frame", "end frame"]);
    expect(await frames.locator(".card-inputs img").nth(1).getAttribute("alt")).toBe(
      "end frame: tiny.jpg",
    );

    await page.setInputFiles("#file-input", [tinyPng, media("tiny.mp4"), media("tiny.mp3")]);
    await expect.poll(() => page.locator(".attachment.ready").count()).toBe(3);
    await box(page).fill("@Image1 dances to @Audio1 like @Video1 --dur 4");
    await box(page).press("Enter");
    const references = page.locator("article.card").nth(1);
    await references.waitFor();
    expect(await labelsOf(references)).toEqual(["@Image1", "@Video1", "@Audio1"]);
    expect(await references.locator(".card-inputs video").getAttribute("aria-label")).toBe(
      "@Video1: tiny.mp4",
    );
    // The same roles, from the same source, as the Discord and Slack cards list them.
    const job = await stack.service.getJob((await references.getAttribute("data-job-id")) ?? "");
    expect(job && describeInputs(job.request)).toEqual([
      "@Image1: tiny.png",
      "@Video1: tiny.mp4",
      "@Audio1: tiny.mp3",
    ]);
  });

  it("a double click on Send, and on Regenerate, makes one request and one job each", async () => {
    const page = await open();
    const messages = watchRequests(page, "/api/messages");
    await box(page).fill("/video a heron takes off --dur 4");
    await page.locator("#send").dblclick();
    await waitUntil(messages.settled, { message: "the message answered" });
    expect(messages.sent).toHaveLength(1);
    await page.locator('article.card[data-phase="done"]').waitFor();
    expect(await page.locator("article.user-message").count()).toBe(1);

    const before = stack.submissions();
    const actions = watchRequests(page, "/api/actions");
    const regenerate = page.locator("article.card").first().getByRole("button", {
      name: "Regenerate",
    });
    await regenerate.dblclick();
    await regenerate.click();
    await waitUntil(actions.settled, { message: "the actions answered" });
    // However many presses reached the bot, they were one request: one new job.
    expect(ids(actions.sent).size).toBe(1);
    await expect.poll(() => page.locator("article.card").count()).toBe(2);
    expect(stack.submissions() - before).toBe(1);
  });

  it("in a long thread, the finished video scrolls into view", async () => {
    const page = await open(1180, 640);
    for (let index = 0; index < 12; index += 1) {
      await box(page).fill(`/video a boat --dur ${90 + index}`);
      await box(page).press("Enter");
      await expect.poll(() => page.locator("article.error").count()).toBe(index + 1);
    }
    await box(page).fill("/video a lighthouse at night --dur 4");
    await box(page).press("Enter");
    await page.locator("article.card").waitFor();
    // The user scrolls up to read while it is made.
    await page.locator("#log").evaluate((log: { scrollTop: number }) => {
      log.scrollTop = 0;
    });
    const video = page.locator("article.card video");
    await video.waitFor();
    await video.evaluate(
      (element: {
        readyState: number;
        addEventListener: (type: string, listener: () => void) => void;
      }) =>
        new Promise<void>((resolve) => {
          if (element.readyState >= 1) resolve();
          else element.addEventListener("loadedmetadata", () => resolve());
        }),
    );
    const inView = () =>
      page.evaluate(`(() => {
        const video = document.querySelector("article.card video").getBoundingClientRect();
        const log = document.getElementById("log").getBoundingClientRect();
        return video.height > 0 && video.top >= log.top - 1 && video.bottom <= log.bottom + 1;
      })()`);
    await expect.poll(inView).toBe(true);
  });

  it("icons are the page's own SVGs: no emoji in what the page shows", async () => {
    const page = await open();
    await box(page).fill("/usage");
    await box(page).press("Enter");
    await page.locator("article.notice").waitFor();
    await box(page).fill("/video a kite [fail] --dur 4");
    await box(page).press("Enter");
    await page.locator('article.card[data-phase="failed"]').waitFor();
    const shown = ((await page.locator("#log").textContent()) ?? "").replace("a kite [fail]", "");
    expect(shown).not.toMatch(pictographic);
    expect(await page.locator("article.card .reaction svg").count()).toBe(2);
    expect(await page.locator(".card-actions .button svg").count()).toBeGreaterThanOrEqual(2);
  });

  it("at 390 px wide, the composer's chips, placeholder and Send button are all in view", async () => {
    const page = await open(390, 800);
    await page.locator("#command-chips .chip").first().waitFor();
    const layout = (await page.evaluate(`(() => {
      const input = document.getElementById("composer-input");
      const style = getComputedStyle(input);
      const context = document.createElement("canvas").getContext("2d");
      context.font = style.font;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const outside = (node) => {
        const box = node.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth;
      };
      return {
        pageWidth: document.documentElement.scrollWidth,
        chipsCut: [...document.querySelectorAll("#command-chips .chip")].filter(outside).length,
        chips: document.querySelectorAll("#command-chips .chip").length,
        placeholderFits: context.measureText(input.placeholder).width <= room,
        sendCut: outside(document.getElementById("send")),
      };
    })()`)) as Record<string, number | boolean>;
    expect(layout).toMatchObject({
      pageWidth: 390,
      chipsCut: 0,
      placeholderFits: true,
      sendCut: false,
    });
    expect(layout.chips).toBeGreaterThan(3);
    await page.screenshot({ path: join(artifacts, "playground-390.png") });
  });
});
