import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import type { FakeDiscord } from "./fake-discord.ts";
import { interactionCallback } from "./fake-discord-messages.ts";

/** An application's key pair; `publicKeyHex` is what the Developer Portal shows (DISCORD_PUBLIC_KEY). */
export function interactionKeyPair(): { publicKeyHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { publicKeyHex: Buffer.from(jwk.x ?? "", "base64url").toString("hex"), privateKey };
}

/** Discord's signature headers: Ed25519 over the timestamp followed by the raw body. */
export function signatureHeaders(
  privateKey: KeyObject,
  body: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  return { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

export interface EndpointAnswer {
  id: string;
  status: number;
  body: unknown;
}

/**
 * Sends an interaction to the bot's Interactions Endpoint URL, as Discord does, and applies the
 * HTTP answer the way a callback would be (recorded as `POST /interactions/{id}/{token}/callback`,
 * so tests read both transports alike).
 */
export async function postInteraction(
  fake: FakeDiscord,
  payload: { id: string; token: string } & Record<string, unknown>,
): Promise<void> {
  const endpoint = fake.interactionsEndpoint;
  if (!endpoint) throw new Error("the fake has no interactions endpoint");
  const body = JSON.stringify(payload);
  const startedAt = Date.now();
  const response = await fetch(endpoint.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signatureHeaders(endpoint.privateKey, body) },
    body,
  });
  const answer = response.headers.get("content-type")?.includes("json")
    ? ((await response.json()) as Record<string, unknown>)
    : {};
  fake.endpointAnswers.push({ id: payload.id, status: response.status, body: answer });
  if (response.status === 200) interactionCallback(fake, payload.id, payload.token, answer, []);
  fake.record({
    method: "POST",
    path: `/interactions/${payload.id}/${payload.token}/callback`,
    query: new URLSearchParams(),
    authorization: undefined,
    json: answer,
    files: [],
    status: response.status,
    at: Date.now(),
    startedAt,
  });
}
