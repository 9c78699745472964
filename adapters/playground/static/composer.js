// The message box: text, uploads (picker or drag-and-drop), Remix replies, and sending.
import { element, mediaPreview } from "./render.js";

export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, payload };
}

export function createComposer({ currentThread, onEntries }) {
  const form = document.getElementById("composer");
  const input = document.getElementById("composer-input");
  const list = document.getElementById("attachments");
  const status = document.getElementById("composer-status");
  const fileInput = document.getElementById("file-input");
  const replyChip = document.getElementById("reply-chip");
  const overlay = document.getElementById("drop-overlay");
  let attachments = [];
  let replyTo = null;

  const say = (text) => {
    status.textContent = text;
  };

  function renderAttachments() {
    list.replaceChildren(
      ...attachments.map((item) =>
        element(
          "li",
          { class: `attachment ${item.state}` },
          item.view
            ? mediaPreview(item.view)
            : element("span", { class: "preview file", text: "…" }),
          element("span", { class: "attachment-name", text: item.file.name }),
          element("span", {
            class: "attachment-state",
            text: item.error ?? (item.state === "uploading" ? "uploading…" : ""),
          }),
          element("button", {
            class: "icon-button",
            type: "button",
            "aria-label": `Remove ${item.file.name}`,
            text: "×",
            onclick: () => {
              attachments = attachments.filter((other) => other !== item);
              renderAttachments();
              input.focus();
            },
          }),
        ),
      ),
    );
  }

  function upload(file) {
    const item = { file, state: "uploading", view: null, error: null };
    item.done = fetch("api/uploads", {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        "x-file-name": encodeURIComponent(file.name),
      },
      body: file,
    })
      .then(async (response) => {
        const payload = await response.json().catch(() => ({}));
        if (!response.ok)
          throw new Error(payload.error?.message ?? `Upload failed (${response.status}).`);
        item.state = "ready";
        item.view = payload.attachment;
      })
      .catch((error) => {
        item.state = "failed";
        item.error = error.message;
        say(error.message);
      })
      .finally(renderAttachments);
    attachments.push(item);
    renderAttachments();
  }

  function addFiles(files) {
    for (const file of files) upload(file);
    say(`${files.length} file${files.length === 1 ? "" : "s"} attached.`);
  }

  function setReply(card, { keepText = false } = {}) {
    replyTo = card ?? null;
    replyChip.hidden = !card;
    document.getElementById("reply-text").textContent = card ? `Remixing “${card.prompt}”` : "";
    if (card && !keepText) {
      input.value = card.remixText;
      input.focus();
      input.setSelectionRange(0, card.prompt.length);
    }
  }

  const sendButton = document.getElementById("send");
  let sending = false;

  function restore(sent) {
    // Only into an empty box: what the user typed meanwhile is never overwritten.
    if (input.value.trim() || attachments.length > 0) return false;
    input.value = sent.text;
    attachments = sent.attachments;
    if (sent.reply) setReply(sent.reply, { keepText: true });
    renderAttachments();
    return true;
  }

  /** The composer's takes picker: several videos of one request, each with its own seed. */
  const takesPicker = document.getElementById("takes");
  const takes = () => Number(takesPicker?.value ?? 1);

  async function send() {
    // One request per press: Enter held down or a double click while one is on its way sends once.
    if (sending) return;
    const text = input.value.trim();
    if (!text && attachments.length === 0) return;
    sending = true;
    sendButton.disabled = true;
    try {
      await Promise.all(attachments.map((item) => item.done));
      if (attachments.some((item) => item.state === "failed")) {
        say("Remove the files that failed to upload, then send again.");
        return;
      }
      const body = {
        clientRequestId: randomId(),
        threadId: currentThread(),
        text,
        attachmentIds: attachments.map((item) => item.view.id),
        ...(replyTo ? { replyToJobId: replyTo.jobId } : {}),
        ...(takes() > 1 ? { takes: takes() } : {}),
      };
      const sent = { text: input.value, attachments, reply: replyTo };
      input.value = "";
      attachments = [];
      setReply(null);
      renderAttachments();
      try {
        const result = await postJson("api/messages", body);
        onEntries(result.payload.entries ?? []);
        if (result.ok) say("");
        else {
          // A refusal keeps the draft: fix the flag or the file and send again.
          const kept = restore(sent);
          const reason = result.payload.entries
            ? ""
            : (result.payload.error?.message ?? "Not sent.");
          say([reason, kept ? "Your message is back in the box." : ""].filter(Boolean).join(" "));
        }
      } catch {
        restore(sent);
        say("Could not reach the bot; your message is back in the box.");
      }
    } finally {
      sending = false;
      sendButton.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  });
  // A placeholder that fits the box: the long one would wrap and be cut off on a phone.
  const narrow = window.matchMedia("(width < 480px)");
  const placeholder = () => {
    input.placeholder = narrow.matches ? "/video a paper boat" : "/video a paper boat --dur 4";
  };
  narrow.addEventListener("change", placeholder);
  placeholder();
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
  });
  document.getElementById("attach").addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    addFiles([...fileInput.files]);
    fileInput.value = "";
  });
  document.getElementById("reply-cancel").addEventListener("click", () => {
    setReply(null);
    input.focus();
  });

  let dragDepth = 0;
  const channel = document.getElementById("channel");
  channel.addEventListener("dragenter", (event) => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    dragDepth += 1;
    overlay.hidden = false;
  });
  channel.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) overlay.hidden = true;
  });
  channel.addEventListener("dragover", (event) => event.preventDefault());
  channel.addEventListener("drop", (event) => {
    event.preventDefault();
    dragDepth = 0;
    overlay.hidden = true;
    if (event.dataTransfer?.files.length) addFiles([...event.dataTransfer.files]);
    input.focus();
  });

  return {
    setReply,
    insert(text) {
      input.value = text;
      input.focus();
    },
    focus: () => input.focus(),
  };
}
