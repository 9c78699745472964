// Seedance playground: a chat channel with threads, fed by Server-Sent Events from the bot.
import { createComposer, postJson, randomId } from "./composer.js";
import { element, renderEntry } from "./render.js";

const entries = new Map();
const nodes = new Map();
const log = document.getElementById("log");
const welcome = document.getElementById("welcome");
let settings = null;
let thread = new URLSearchParams(location.hash.slice(1)).get("thread") || randomId();

const handlers = {
  action: (jobId, action) => act("api/actions", { jobId, action }),
  react: (jobId, emoji) => act("api/reactions", { jobId, emoji }),
  extend: (jobId) => {
    const card = [...entries.values()].find(
      (entry) => entry.kind === "card" && entry.jobId === jobId,
    );
    const text = window.prompt("What happens next?", card?.prompt ?? "");
    if (text !== null) act("api/actions", { jobId, action: "extend", text });
  },
  remix: (jobId) => {
    const card = [...entries.values()].find(
      (entry) => entry.kind === "card" && entry.jobId === jobId,
    );
    if (card) composer.setReply(card);
  },
  showJob: (threadId, jobId) => {
    openThread(threadId);
    const node = nodes.get(`card-${jobId}`);
    node?.scrollIntoView({ block: "center" });
    node?.querySelector("button")?.focus();
  },
};

/** Presses of the same button on the same job within this long are one request: one job, one charge. */
const repeatWindowMs = 5000;
const recentActions = new Map();

async function act(path, body) {
  const key = `${path} ${body.jobId} ${body.action ?? body.emoji}`;
  const recent = recentActions.get(key);
  if (recent?.inFlight) return;
  // A second press soon after sends the same request id: the bot answers it with the first job.
  const clientRequestId =
    recent && Date.now() - recent.at < repeatWindowMs ? recent.clientRequestId : randomId();
  const entry = {
    clientRequestId,
    at: recent?.clientRequestId === clientRequestId ? recent.at : Date.now(),
    inFlight: true,
  };
  recentActions.set(key, entry);
  const result = await postJson(path, { clientRequestId, ...body }).catch(() => null);
  entry.inFlight = false;
  if (!result) return;
  receive(result.payload.entries ?? []);
  if (!result.ok && !result.payload.entries) {
    document.getElementById("composer-status").textContent =
      result.payload.error?.message ?? "Refused.";
  }
}

const composer = createComposer({
  currentThread: () => thread,
  onEntries: (list) => receive(list),
});

function threadTitle(threadId) {
  let typed = "";
  for (const entry of entries.values()) {
    if (entry.threadId !== threadId) continue;
    if (entry.kind === "card" && entry.prompt) return entry.prompt;
    if (entry.kind === "message" && !typed) typed = entry.text.replace(/^\/[a-z-]+\s*/i, "");
  }
  return typed || "New thread";
}

function renderThreads() {
  const ids = [...new Set([...entries.values()].map((entry) => entry.threadId))];
  if (!ids.includes(thread)) ids.push(thread);
  const list = document.getElementById("thread-list");
  list.replaceChildren(
    ...ids.reverse().map((id) => {
      const busy = [...entries.values()].some(
        (entry) => entry.threadId === id && entry.kind === "card" && entry.pending,
      );
      return element(
        "li",
        {},
        element(
          "a",
          {
            href: `#thread=${id}`,
            class: "thread-link",
            "aria-current": id === thread ? "page" : undefined,
          },
          element("span", { class: "thread-name", text: threadTitle(id) }),
          busy
            ? element("span", {
                class: "busy-dot",
                title: "A video is being made",
                "aria-label": "in progress",
              })
            : undefined,
        ),
      );
    }),
  );
  document.getElementById("thread-title").textContent = threadTitle(thread);
}

function place(node, entry) {
  // Keep the log in time order even when a push and a POST answer arrive out of order.
  const after = [...log.children].find((other) => Number(other.dataset.at) > entry.at);
  if (after) log.insertBefore(node, after);
  else log.append(node);
}

function show(entry, previous) {
  const existing = nodes.get(entry.id);
  const node = renderEntry(entry, existing, handlers);
  node.dataset.at = String(entry.at);
  nodes.set(entry.id, node);
  if (!existing && entry.threadId === thread) {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    place(node, entry);
    if (atBottom || entry.kind !== "card") log.scrollTop = log.scrollHeight;
  }
  // The finished video comes into view, however long the thread: when it first arrives, and again
  // whenever its card changes size (the player learns its size, the poster loads, buttons arrive),
  // until the user scrolls.
  if (existing && entry.kind === "card" && entry.videoUrl && !previous?.videoUrl) {
    if (entry.threadId === thread) reveal(node);
  }
}

let revealObserver = null;

function reveal(node) {
  stopRevealing();
  // The player itself, not the whole card: a card with its inputs can be taller than the log.
  const bringIntoView = () =>
    (node.querySelector("video") ?? node).scrollIntoView({ block: "nearest" });
  revealObserver = new ResizeObserver(bringIntoView);
  revealObserver.observe(node);
  bringIntoView();
}

function stopRevealing() {
  revealObserver?.disconnect();
  revealObserver = null;
}

// The user's own scrolling (not the bot's) ends bringing a card into view.
for (const type of ["wheel", "touchmove", "keydown", "pointerdown"]) {
  log.addEventListener(
    type,
    () => {
      stopRevealing();
    },
    { passive: true },
  );
}

function receive(list) {
  for (const entry of list) {
    const known = entries.get(entry.id);
    if (known?.kind === "card" && known.version > entry.version) continue;
    entries.set(entry.id, entry);
    show(entry, known);
  }
  welcome.hidden = [...entries.values()].some((entry) => entry.threadId === thread);
  renderThreads();
}

function openThread(threadId) {
  thread = threadId;
  if (location.hash !== `#thread=${threadId}`)
    history.replaceState(null, "", `#thread=${threadId}`);
  log.replaceChildren(welcome);
  const mine = [...entries.values()].filter((entry) => entry.threadId === threadId);
  for (const entry of mine.sort((first, second) => first.at - second.at))
    log.append(nodes.get(entry.id));
  welcome.hidden = mine.length > 0;
  renderThreads();
  log.scrollTop = log.scrollHeight;
}

function applySettings(next) {
  settings = next;
  document.getElementById("simulated-banner").hidden = !settings.simulated;
  document.body.classList.toggle("simulated", settings.simulated);
  const chips = document.getElementById("command-chips");
  chips.replaceChildren(
    ...settings.commands.map((command) =>
      element("button", {
        class: "chip",
        type: "button",
        title: command.description,
        text: `/${command.name}`,
        onclick: () => composer.insert(`/${command.name} `),
      }),
    ),
  );
  const help = document.getElementById("composer-help");
  const flagNames = [...new Set(settings.flags.match(/--[a-z-]+/g) ?? [])];
  help.replaceChildren(
    "Enter sends · Shift+Enter new line · flags ",
    ...flagNames.flatMap((flag) => [element("code", { class: "flag", text: flag }), " "]),
  );
  help.title = `${settings.flags}. Attach ${settings.accepts}.`;
  const examples = [
    "/video a paper boat drifting on a pond at dawn --dur 4",
    "/video a red fox in fresh snow --ar 9:16 --dur 5",
  ];
  document.getElementById("examples").replaceChildren(
    ...examples.map((text) =>
      element(
        "li",
        {},
        element("button", {
          class: "chip example",
          type: "button",
          text,
          onclick: () => composer.insert(text),
        }),
      ),
    ),
  );
}

// Older history than the stream's first page, fetched a page at a time as the log scrolls up.
let older = { before: undefined, hasOlder: false };
let loadingOlder = false;

async function loadOlder() {
  if (!older.hasOlder || loadingOlder || !older.before) return;
  loadingOlder = true;
  try {
    const response = await fetch(`api/entries?before=${encodeURIComponent(older.before)}`);
    if (!response.ok) return;
    const page = await response.json();
    older = { before: page.entries[0]?.id, hasOlder: page.hasOlder };
    receive(page.entries);
  } finally {
    loadingOlder = false;
  }
  // A log too short to scroll never fires "scroll": keep going until it fills or history ends.
  if (log.scrollHeight <= log.clientHeight) void loadOlder();
}

log.addEventListener("scroll", () => {
  if (log.scrollTop < 200) void loadOlder();
});

function connect() {
  const status = document.getElementById("connection");
  const source = new EventSource("api/events");
  source.addEventListener("snapshot", (event) => {
    const snapshot = JSON.parse(event.data);
    applySettings(snapshot);
    receive(snapshot.entries);
    older = { before: snapshot.entries[0]?.id, hasOlder: snapshot.hasOlder };
    document.getElementById("sign-out").hidden = !snapshot.signOut;
    openThread(thread);
    if (log.scrollHeight <= log.clientHeight) void loadOlder();
  });
  source.addEventListener("entry", (event) => receive([JSON.parse(event.data)]));
  source.addEventListener("open", () => {
    status.dataset.state = "live";
    status.textContent = "Live";
  });
  source.addEventListener("error", () => {
    status.dataset.state = "offline";
    status.textContent = "Reconnecting…";
  });
}

document.getElementById("sign-out").addEventListener("click", async () => {
  await postJson("api/sign-out", {});
  location.reload();
});
document.getElementById("new-thread").addEventListener("click", () => {
  openThread(randomId());
  composer.focus();
});
window.addEventListener("hashchange", () => {
  const next = new URLSearchParams(location.hash.slice(1)).get("thread");
  if (next && next !== thread) openThread(next);
});
openThread(thread);
connect();
