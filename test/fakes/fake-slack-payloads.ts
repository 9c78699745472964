import type { FakeFile, FakeMessage, FakeSlack } from "./fake-slack.ts";
import { fileObject } from "./fake-slack-api.ts";

export interface FakeUser {
  id: string;
  name: string;
}

let counter = 0;
function next(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}`;
}

/** An Events API envelope around `event`, as Slack POSTs it (and as Socket Mode wraps it). */
export function eventEnvelope(
  fake: FakeSlack,
  event: Record<string, unknown>,
  eventId = next("Ev"),
) {
  return {
    token: "verification-token",
    team_id: fake.teamId,
    api_app_id: "A0FAKE",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    event,
  };
}

/** What every message event says about the message it is about. */
function messageEventFields(message: FakeMessage) {
  return {
    user: message.user,
    text: message.text,
    ts: message.ts,
    channel: message.channel,
    event_ts: message.ts,
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
  };
}

/** `app_mention` for a message the user posted (it is stored on the fake, so threads can be read). */
export function mentionEvent(fake: FakeSlack, message: FakeMessage) {
  return {
    type: "app_mention",
    ...messageEventFields(message),
    ...(message.files ? { files: message.files.map(fileObject) } : {}),
    team: fake.teamId,
  };
}

/** `message` in a direct message with the bot (`message.im`), as Slack sends it. */
export function directMessageEvent(message: FakeMessage, extra: Record<string, unknown> = {}) {
  return {
    type: "message",
    channel_type: "im",
    ...messageEventFields(message),
    ...(message.files ? { subtype: "file_share", files: message.files.map(fileObject) } : {}),
    ...extra,
  };
}

export function reactionEvent(user: FakeUser, reaction: string, item: FakeMessage) {
  return {
    type: "reaction_added",
    user: user.id,
    reaction,
    item_user: item.user,
    item: { type: "message", channel: item.channel, ts: item.ts },
    event_ts: `${Date.now() / 1000}`,
  };
}

/** The form fields of a slash command. */
export function slashCommand(fake: FakeSlack, user: FakeUser, command: string, text: string) {
  const id = next("");
  return {
    token: "verification-token",
    team_id: fake.teamId,
    team_domain: "fake",
    channel_id: fake.channelId,
    channel_name: "general",
    user_id: user.id,
    user_name: user.name,
    command,
    text,
    api_app_id: "A0FAKE",
    response_url: `${fake.url}/respond/${id}`,
    trigger_id: `trigger-${id}`,
  };
}

function base(fake: FakeSlack, user: FakeUser) {
  const id = next("");
  return {
    team: { id: fake.teamId, domain: "fake" },
    user: { id: user.id, username: user.name, name: user.name, team_id: fake.teamId },
    api_app_id: "A0FAKE",
    token: "verification-token",
    trigger_id: `trigger-${id}`,
    response_url: `${fake.url}/respond/${id}`,
  };
}

/** A click on a button of a bot message. */
export function buttonClick(
  fake: FakeSlack,
  user: FakeUser,
  message: FakeMessage,
  actionId: string,
) {
  return {
    type: "block_actions",
    ...base(fake, user),
    container: { type: "message", message_ts: message.ts, channel_id: message.channel },
    channel: { id: message.channel, name: "general" },
    message: { type: "message", ...messageFields(message) },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "job_actions",
        value: actionId,
        action_ts: "1",
      },
    ],
  };
}

function messageFields(message: FakeMessage) {
  const { channel: _channel, files, versions: _versions, ...rest } = message;
  return { ...rest, ...(files ? { files: files.map(fileObject) } : {}) };
}

/** The message shortcut on a message. */
export function messageShortcut(
  fake: FakeSlack,
  user: FakeUser,
  callbackId: string,
  message: FakeMessage,
) {
  const { response_url, trigger_id, team, token } = base(fake, user);
  return {
    type: "message_action",
    callback_id: callbackId,
    trigger_id,
    response_url,
    team,
    token,
    message_ts: message.ts,
    action_ts: "1",
    user: { id: user.id, name: user.name, username: user.name },
    channel: { id: message.channel, name: "general" },
    message: { type: "message", ...messageFields(message) },
  };
}

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

/** A form submission: the view the bot opened, with the user's values. */
export function viewSubmission(
  fake: FakeSlack,
  user: FakeUser,
  view: FakeSlack["views"][number],
  values: StateValues,
) {
  return {
    type: "view_submission",
    ...base(fake, user),
    view: {
      ...view,
      team_id: fake.teamId,
      state: { values },
      hash: "h",
      root_view_id: view.id,
      previous_view_id: null,
      app_id: "A0FAKE",
      bot_id: fake.botId,
    },
  };
}

/** State values for a form: text fields, selects, checkboxes and file inputs by block id. */
export const stateValue = {
  text: (value: string) => ({ type: "plain_text_input", value }),
  number: (value: number) => ({ type: "number_input", value: String(value) }),
  select: (value: string) => ({
    type: "static_select",
    selected_option: { value, text: { type: "plain_text", text: value } },
  }),
  checked: () => ({ type: "checkboxes", selected_options: [{ value: "true" }] }),
  files: (...files: FakeFile[]) => ({ type: "file_input", files: files.map(fileObject) }),
};

/** `{ name: value }` → Slack's `{ name: { name: value } }` (our forms use the option name for both ids). */
export function formValues(values: Record<string, Record<string, unknown>>): StateValues {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { [name]: value }]),
  );
}
