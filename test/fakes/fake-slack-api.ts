import type { FakeFile, FakeMessage, FakeSlack } from "./fake-slack.ts";
import type { FakeWorkspace } from "./fake-slack-workspaces.ts";

export type ApiFields = Record<string, unknown>;
export type ApiAnswer = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

/** Slack's inclusive/exclusive `oldest`/`latest` window over message timestamps. */
function inWindow(ts: string, fields: ApiFields): boolean {
  const value = Number(ts);
  const inclusive =
    fields.inclusive === true || fields.inclusive === "true" || fields.inclusive === "1";
  const oldest = text(fields.oldest);
  const latest = text(fields.latest);
  if (oldest !== undefined && (inclusive ? value < Number(oldest) : value <= Number(oldest))) {
    return false;
  }
  if (latest !== undefined && (inclusive ? value > Number(latest) : value >= Number(latest))) {
    return false;
  }
  return true;
}

export function fileObject(file: FakeFile): Record<string, unknown> {
  const { bytes: _bytes, ...rest } = file;
  return rest;
}

export function messageObject(message: FakeMessage): Record<string, unknown> {
  const { channel: _channel, files, versions: _versions, ...rest } = message;
  return { type: "message", ...rest, ...(files ? { files: files.map(fileObject) } : {}) };
}

function missing(error: string): ApiAnswer {
  return { ok: false, error };
}

/** The Web API methods the bot uses, over the fake's messages and files. */
export function handleApiMethod(
  fake: FakeSlack,
  method: string,
  fields: ApiFields,
  workspace: FakeWorkspace = fake.defaultWorkspace,
): ApiAnswer {
  const channel = text(fields.channel) ?? text(fields.channel_id) ?? "";
  switch (method) {
    case "auth.test":
      return {
        ok: true,
        url: "https://fake.slack.com/",
        team: workspace.teamName,
        user: "seedance",
        team_id: workspace.teamId,
        user_id: workspace.botUserId,
        bot_id: workspace.botId,
      };
    case "chat.postMessage": {
      const message = fake.addMessage({
        channel,
        user: workspace.botUserId,
        bot_id: workspace.botId,
        text: text(fields.text) ?? "",
        ...(fields.blocks ? { blocks: fields.blocks as FakeMessage["blocks"] } : {}),
        ...(text(fields.thread_ts) ? { thread_ts: text(fields.thread_ts) } : {}),
      });
      return { ok: true, channel, ts: message.ts, message: messageObject(message) };
    }
    case "chat.update": {
      const message = fake.findMessage(channel, text(fields.ts) ?? "");
      if (!message) return missing("message_not_found");
      message.text = text(fields.text) ?? message.text;
      if (fields.blocks) message.blocks = fields.blocks as FakeMessage["blocks"];
      message.versions?.push({ text: message.text, blocks: message.blocks });
      return { ok: true, channel, ts: message.ts, text: message.text };
    }
    case "chat.postEphemeral":
      return { ok: true, message_ts: fake.nextTs() };
    case "conversations.open": {
      // One direct-message channel per user, the same one every time, as Slack answers.
      const user = text(fields.users) ?? "";
      if (!user || user.includes(",")) return missing("not_implemented_in_fake");
      const id = fake.directMessageChannels.get(user) ?? `D${user}`;
      fake.directMessageChannels.set(user, id);
      return { ok: true, channel: { id } };
    }
    case "conversations.replies": {
      const anchor = fake.findMessage(channel, text(fields.ts) ?? "");
      if (!anchor) return missing("thread_not_found");
      const root = anchor.thread_ts ?? anchor.ts;
      const thread = fake.messages.filter(
        (message) =>
          message.channel === channel && (message.ts === root || message.thread_ts === root),
      );
      // The parent always comes first, as Slack sends it; replies follow within the window.
      const [parent, ...replies] = thread;
      const limit = Number(fields.limit ?? 1000);
      const shown = [parent, ...replies.filter((reply) => inWindow(reply.ts, fields))];
      return {
        ok: true,
        messages: shown.slice(0, limit).map((item) => messageObject(item as FakeMessage)),
        has_more: false,
      };
    }
    case "conversations.history": {
      const top = fake.messages
        .filter(
          (message) =>
            message.channel === channel &&
            (message.thread_ts === undefined || message.thread_ts === message.ts) &&
            inWindow(message.ts, fields),
        )
        .reverse()
        .slice(0, Number(fields.limit ?? 100));
      return { ok: true, messages: top.map(messageObject), has_more: false };
    }
    case "views.open": {
      const view = { id: `V${fake.views.length + 1}`, ...(fields.view as object) };
      fake.views.push(view as FakeSlack["views"][number]);
      return { ok: true, view };
    }
    case "files.info": {
      const file = fake.files.get(text(fields.file) ?? "");
      return file ? { ok: true, file: fileObject(file) } : missing("file_not_found");
    }
    case "files.getUploadURLExternal": {
      if (Number(fields.length) > fake.maxUploadBytes) return missing("file_too_large");
      const fileId = fake.startUpload(text(fields.filename) ?? "file", Number(fields.length));
      return { ok: true, upload_url: `${fake.url}/upload/${fileId}`, file_id: fileId };
    }
    case "files.completeUploadExternal":
      return fake.completeUploads(fields, workspace);
    case "users.info": {
      const user = text(fields.user) ?? "";
      return { ok: true, user: { id: user, name: fake.userNames.get(user) ?? user.toLowerCase() } };
    }
    default:
      return missing("unknown_method");
  }
}
