import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; CI installs it (`apt-get install chromium`) when missing. */
export const chromiumPath = "/usr/bin/chromium";

export const chromiumAvailable = existsSync(chromiumPath);

/** Headless Chromium with a fresh temporary profile, quiet and offline apart from our server. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Installed before any page script: records every `data-phase` each status card shows, in
 * order, in `window.seenPhases[jobId]` — what a user watching the card would have seen. (A string:
 * it runs in the page, and this project's TypeScript has no DOM types.)
 */
export const recordCardPhases = `
  window.seenPhases = {};
  const note = (node) => {
    if (!(node instanceof HTMLElement) || !node.dataset.jobId || !node.dataset.phase) return;
    const phases = (window.seenPhases[node.dataset.jobId] ??= []);
    if (phases.at(-1) !== node.dataset.phase) phases.push(node.dataset.phase);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      note(record.target);
      for (const added of record.addedNodes) note(added);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-phase"] });
`;
