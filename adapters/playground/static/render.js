// Turns the server's entries into DOM nodes. Text always goes through textContent.

const phaseLabels = {
  queued: "Queued",
  running: "Generating",
  finishing: "Finishing up",
  done: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function element(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

const iconPaths = {
  repeat: "M17 2l4 4-4 4M3 11V9a3 3 0 0 1 3-3h15M7 22l-4-4 4-4M21 13v2a3 3 0 0 1-3 3H3",
  cross: "M6 6l12 12M18 6L6 18",
  pencil: "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
  chart: "M4 20V10M10 20V4M16 20v-7M22 20H2",
  warning: "M12 3 2 21h20L12 3zM12 10v5M12 18h.01",
  check: "M4 12l5 5L20 6",
  clock: "M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  note: "M9 18V5l11-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0zM20 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z",
};

/** Emoji the bot's texts use, drawn with the page's own icons (and read out by their meaning). */
const emojiIcons = new Map([
  ["🔁", ["repeat", "Regenerate"]],
  ["🔄", ["repeat", "Regenerate"]],
  ["❌", ["cross", "Cancel"]],
  ["📊", ["chart", "Usage"]],
  ["⚠️", ["warning", "Warning"]],
  ["⚠", ["warning", "Warning"]],
  ["✅", ["check", "Done"]],
  ["🕒", ["clock", "Waiting"]],
  ["⏳", ["clock", "Waiting"]],
]);
const emojiPattern = new RegExp(`(${[...emojiIcons.keys()].join("|")})`, "u");

/** Text with the known emoji replaced by inline SVG icons (text nodes only, never markup). */
export function richText(text) {
  return text.split(emojiPattern).map((part) => {
    const known = emojiIcons.get(part);
    if (!known) return part;
    const [name, label] = known;
    return element("span", { class: "inline-icon", role: "img", "aria-label": label }, icon(name));
  });
}

/** A small line icon (emoji fonts are not everywhere; the label carries the emoji for readers). */
export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "icon");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", iconPaths[name]);
  svg.append(path);
  return svg;
}

function time(at) {
  return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function header(author, at, ...extra) {
  return element(
    "header",
    { class: "entry-head" },
    element("span", { class: "author", text: author }),
    element("time", { datetime: new Date(at).toISOString(), text: time(at) }),
    ...extra,
  );
}

function avatar(kind) {
  return kind === "user"
    ? element("span", { class: "avatar user", "aria-hidden": "true", text: "Y" })
    : element("img", { class: "avatar", src: "static/icon.svg", alt: "" });
}

export function mediaPreview(attachment) {
  const label = `${attachment.label ?? attachment.kind}: ${attachment.fileName}`;
  if (attachment.kind === "image") {
    return element("img", { class: "preview", src: attachment.previewUrl, alt: label });
  }
  if (attachment.kind === "video") {
    return element("video", {
      class: "preview",
      src: attachment.previewUrl,
      muted: true,
      "aria-label": label,
    });
  }
  return element("span", { class: "preview file" }, icon("note"), ` ${attachment.fileName}`);
}

/** A card's input with its role under it ("start frame", "@Image1"), as the prompt names it. */
function labelledPreview(attachment) {
  if (!attachment.label) return mediaPreview(attachment);
  return element(
    "figure",
    { class: "input-preview" },
    mediaPreview(attachment),
    element("figcaption", { class: "input-label", text: attachment.label }),
  );
}

function attachmentsOf(list) {
  if (!list?.length) return undefined;
  return element("div", { class: "entry-media" }, ...list.map(mediaPreview));
}

function messageNode(entry) {
  return element(
    "article",
    { class: "entry user-message", id: entry.id },
    avatar("user"),
    element(
      "div",
      { class: "entry-body" },
      header("You", entry.at),
      entry.text ? element("p", { class: "text", text: entry.text }) : undefined,
      attachmentsOf(entry.attachments),
    ),
  );
}

function noticeNode(entry) {
  const error = entry.kind === "error";
  return element(
    "article",
    { class: `entry bot-message ${error ? "error" : "notice"}`, id: entry.id },
    avatar("bot"),
    element(
      "div",
      { class: "entry-body" },
      header("Seedance", entry.at),
      element("p", { class: "text", role: error ? "alert" : undefined }, ...richText(entry.text)),
    ),
  );
}

function jobsNode(entry, handlers) {
  const rows = entry.jobs.map((job) =>
    element(
      "li",
      {},
      element("span", { class: `pill phase-${job.phase}`, text: phaseLabels[job.phase] }),
      element("button", {
        class: "link",
        type: "button",
        text: job.prompt || job.jobId,
        onclick: () => handlers.showJob(job.threadId, job.jobId),
      }),
      element("code", { text: job.jobId }),
    ),
  );
  return element(
    "article",
    { class: "entry bot-message", id: entry.id },
    avatar("bot"),
    element(
      "div",
      { class: "entry-body" },
      header("Seedance", entry.at),
      rows.length
        ? element("ul", { class: "job-list", "aria-label": "Your jobs" }, ...rows)
        : element("p", { class: "text", text: "You have no jobs yet." }),
    ),
  );
}

function cardNode(entry, handlers) {
  const button = (action, label, iconName, extra = {}) =>
    element(
      "button",
      {
        class: "button small",
        type: "button",
        "data-action": action,
        onclick: () => handlers.action(node.dataset.jobId, action),
        ...extra,
      },
      icon(iconName),
      label,
    );
  const reaction = (emoji, iconName, label) =>
    element(
      "button",
      {
        class: "reaction",
        type: "button",
        "data-emoji": emoji,
        "aria-label": label,
        title: label,
        "aria-pressed": "false",
        onclick: () => handlers.react(node.dataset.jobId, emoji),
      },
      icon(iconName),
    );
  const node = element(
    "article",
    { class: "entry bot-message card", id: entry.id, "data-job-id": entry.jobId },
    avatar("bot"),
    element(
      "div",
      { class: "entry-body" },
      header(
        "Seedance",
        entry.at,
        element("span", { class: "badge simulated", text: "Simulated", hidden: true }),
        element("span", { class: "badge mode" }),
      ),
      element("p", { class: "prompt" }),
      element("div", { class: "card-inputs" }),
      element(
        "p",
        { class: "status", "aria-live": "polite" },
        element("span", { class: "pill" }),
        element("span", { class: "status-text" }),
      ),
      element("progress", { max: "100", "aria-label": "Progress" }),
      element("div", { class: "player" }),
      element("p", { class: "card-error", role: "alert", hidden: true }),
      element("p", { class: "details" }),
      element(
        "div",
        { class: "card-actions" },
        button("regenerate", "Regenerate", "repeat"),
        button("remix", "Remix", "pencil", { onclick: () => handlers.remix(node.dataset.jobId) }),
        button("extend", "Extend", "repeat", {
          onclick: () => handlers.extend(node.dataset.jobId),
        }),
        button("stitch", "Stitch", "repeat"),
        button("upscale", "Upscale", "repeat"),
        button("cancel", "Cancel", "cross"),
        element(
          "span",
          { class: "reactions", role: "group", "aria-label": "Reactions" },
          reaction("🔁", "repeat", "React 🔁 to make another take"),
          reaction("❌", "cross", "React ❌ to cancel"),
        ),
      ),
    ),
  );
  return node;
}

function updateCard(node, entry) {
  const find = (selector) => node.querySelector(selector);
  node.dataset.phase = entry.phase;
  node.setAttribute("aria-busy", String(entry.pending || entry.phase === "finishing"));
  find(".badge.simulated").hidden = !entry.simulated;
  find(".badge.mode").textContent = entry.take ? `${entry.mode} · ${entry.take}` : entry.mode;
  find(".prompt").textContent = entry.prompt;
  const inputs = find(".card-inputs");
  if (!inputs.childElementCount && entry.inputs.length)
    inputs.append(...entry.inputs.map(labelledPreview));
  const pill = find(".pill");
  pill.className = `pill phase-${entry.phase}`;
  pill.textContent = phaseLabels[entry.phase];
  const percent =
    entry.phase === "running" && entry.progress !== undefined ? `${entry.progress}%` : "";
  const simulated = entry.simulated ? " (simulated)" : "";
  const texts = {
    queued:
      entry.queuePosition !== undefined
        ? `Waiting for your other jobs (#${entry.queuePosition} in your queue)`
        : "Waiting for the model",
    running: `Rendering ${percent}`,
    finishing: "Saving the video",
    done: `Your video is ready${simulated}`,
    failed: "No video this time",
    cancelled: "Stopped before it finished",
  };
  find(".status-text").textContent = texts[entry.phase];
  const progress = find("progress");
  progress.hidden = !entry.pending;
  if (entry.progress === undefined) progress.removeAttribute("value");
  else progress.value = entry.progress;
  const player = find(".player");
  if (entry.videoUrl && !player.querySelector("video")) {
    const label = `Video${simulated}: ${entry.prompt}`;
    player.append(
      element("video", {
        src: entry.videoUrl,
        poster: entry.posterUrl,
        controls: true,
        playsinline: true,
        preload: "auto",
        "aria-label": label,
      }),
      element("a", {
        class: "download",
        href: entry.videoUrl,
        download: `seedance-${entry.jobId}.mp4`,
        text: "Download MP4",
      }),
    );
  }
  const error = find(".card-error");
  error.hidden = !entry.error || entry.phase === "cancelled";
  error.replaceChildren(...richText(entry.error ?? ""));
  const parent = entry.parentJobId ? ` · another take of ${entry.parentJobId}` : "";
  find(".details").textContent = `${entry.details} · job ${entry.jobId}${parent}`;
  find('[data-action="cancel"]').hidden = !entry.pending;
  const finished = entry.phase === "done" && !entry.stitchOf;
  find('[data-action="extend"]').hidden = !finished;
  find('[data-action="stitch"]').hidden = !finished || !entry.extendsJobId;
  const upscale = find('[data-action="upscale"]');
  upscale.hidden = !finished || !entry.upscaleTo;
  upscale.lastChild.textContent = entry.upscaleTo ? `Upscale to ${entry.upscaleTo}` : "Upscale";
  find('[data-emoji="❌"]').hidden = !entry.pending;
  for (const reaction of node.querySelectorAll(".reaction")) {
    reaction.setAttribute("aria-pressed", String(entry.reactions.includes(reaction.dataset.emoji)));
  }
}

/** The node for `entry`, reusing `existing` (cards change in place, so a playing video keeps playing). */
export function renderEntry(entry, existing, handlers) {
  if (entry.kind === "card") {
    const node = existing ?? cardNode(entry, handlers);
    updateCard(node, entry);
    return node;
  }
  if (existing) return existing;
  if (entry.kind === "message") return messageNode(entry);
  if (entry.kind === "jobs") return jobsNode(entry, handlers);
  return noticeNode(entry);
}
