import { readFile } from "node:fs/promises";
import {
  type APICommandAutocompleteInteractionResponseCallbackData,
  type APIEmbed,
  type APIInteractionResponse,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIModalInteractionResponseCallbackData,
  InteractionResponseType,
  MessageFlags,
  type RawFile,
  type REST,
  Routes,
} from "discord.js";
import { PlatformError } from "../../src/errors.ts";

/** Sends the interaction's first answer: the HTTP response (HTTP endpoint) or the REST callback (gateway). */
export type InitialAnswer = (body: APIInteractionResponse) => Promise<void>;

/** A message through the interaction: its text, embeds, buttons and small files (posters). */
export interface ReplyMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  files?: { path: string; name: string }[];
  ephemeral?: boolean;
}

const noMentions = { parse: [], replied_user: false };

function messageOf(message: string | ReplyMessage): ReplyMessage {
  return typeof message === "string" ? { content: message } : message;
}

/**
 * Answers one raw interaction over Discord's REST API (the interaction's webhook for edits and
 * follow-ups), whichever transport brought it. The first answer (defer, reply, form, choices)
 * goes through `answer`; `deferred`/`replied` say what was already sent, as Discord requires one
 * first answer exactly.
 */
export class InteractionResponder {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  readonly #rest: REST;
  readonly #answer: InitialAnswer;
  deferred = false;
  replied = false;
  ephemeral = false;

  constructor(input: {
    interaction: { id: string; token: string; application_id: string };
    rest: REST;
    answer: InitialAnswer;
  }) {
    this.id = input.interaction.id;
    this.token = input.interaction.token;
    this.applicationId = input.interaction.application_id;
    this.#rest = input.rest;
    this.#answer = input.answer;
  }

  get answered(): boolean {
    return this.deferred || this.replied;
  }

  /** The endpoint answered by itself ("thinking…") before the handler did: Discord's 3 s ran short. */
  markDeferred(): void {
    this.deferred = true;
  }

  async defer(options: { ephemeral?: boolean } = {}): Promise<void> {
    if (this.answered) return;
    // Discord reads flags 0 as a public "thinking…" (as discord.js sends it).
    const flags = (options.ephemeral ? MessageFlags.Ephemeral : 0) as MessageFlags;
    await this.#answer({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags },
    });
    this.deferred = true;
    this.ephemeral = options.ephemeral === true;
  }

  async reply(message: string | ReplyMessage): Promise<void> {
    const data = messageOf(message);
    if (this.answered) {
      await this.editReply(data);
      return;
    }
    await this.#answer({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { ...this.#body(data), ...(data.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
    });
    this.replied = true;
    this.ephemeral = data.ephemeral === true;
  }

  async showModal(form: APIModalInteractionResponseCallbackData): Promise<void> {
    if (this.answered) {
      throw new PlatformError({
        message: "This interaction was already answered, so no form can open.",
        platform: "discord",
        retryable: false,
      });
    }
    await this.#answer({ type: InteractionResponseType.Modal, data: form });
    this.replied = true;
  }

  async respond(choices: APICommandAutocompleteInteractionResponseCallbackData["choices"]) {
    await this.#answer({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: choices ?? [] },
    });
    this.replied = true;
  }

  /** Edits the original response (the deferred "thinking…" or the first reply). */
  async editReply(message: string | ReplyMessage): Promise<APIMessage> {
    const data = messageOf(message);
    const route = Routes.webhookMessage(this.applicationId, this.token, "@original");
    return (await this.#rest.patch(route, {
      body: this.#body(data),
      auth: false,
      ...(data.files?.length ? { files: await rawFiles(data.files) } : {}),
    })) as APIMessage;
  }

  async followUp(message: string | ReplyMessage): Promise<APIMessage> {
    const data = messageOf(message);
    return (await this.#rest.post(Routes.webhook(this.applicationId, this.token), {
      body: { ...this.#body(data), ...(data.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
      auth: false,
      ...(data.files?.length ? { files: await rawFiles(data.files) } : {}),
    })) as APIMessage;
  }

  async deleteReply(): Promise<void> {
    await this.#rest.delete(Routes.webhookMessage(this.applicationId, this.token, "@original"), {
      auth: false,
    });
  }

  #body(data: ReplyMessage) {
    return {
      ...(data.content === undefined ? {} : { content: data.content }),
      ...(data.embeds ? { embeds: data.embeds } : {}),
      ...(data.components ? { components: data.components } : {}),
      ...(data.files?.length
        ? { attachments: data.files.map((file, index) => ({ id: index, filename: file.name })) }
        : {}),
      allowed_mentions: noMentions,
    };
  }
}

/** Posters are small JPEGs: read whole, unlike videos (see `upload-body.ts`). */
async function rawFiles(files: readonly { path: string; name: string }[]): Promise<RawFile[]> {
  return await Promise.all(
    files.map(async (file) => ({ name: file.name, data: await readFile(file.path) })),
  );
}

/** The gateway's way: the first answer is a REST callback. */
export function callbackAnswer(
  rest: REST,
  interaction: { id: string; token: string },
): InitialAnswer {
  return async (body) => {
    await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body,
      auth: false,
    });
  };
}
