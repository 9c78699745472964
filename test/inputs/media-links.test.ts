import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signMedia } from "../../src/media/signed-url.ts";
import { PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
  testSigningSecret,
} from "../adapters/playground/playground-stack.ts";
import { png } from "./support/hostile-media.ts";

let stack: PlaygroundStack;
let link: URL;
beforeAll(async () => {
  stack = await startPlaygroundStack({ delayMs: 40 });
  const answer = await new PlaygroundClient(stack.baseUrl).upload(png, "cat.png");
  const attachment = answer.body.attachment as { previewUrl?: string } | undefined;
  link = new URL(attachment?.previewUrl ?? "", `${stack.baseUrl}/`);
});
afterAll(async () => {
  await stack.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const idOf = (url: URL) => url.pathname.slice("/media/".length);

function variant(change: (url: URL) => void): string {
  const copy = new URL(link);
  change(copy);
  return copy.toString();
}

async function fetchStatus(url: string): Promise<{ status: number; leaked: boolean }> {
  const response = await request(url);
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, leaked: bytes.includes(png.subarray(0, 16)) };
}

describe("bad input: signed media links", () => {
  it("the genuine link serves the file (control)", async () => {
    expect(await fetchStatus(link.toString())).toEqual({ status: 200, leaked: true });
  });

  it.each<[string, () => string, number]>([
    [
      "one hex digit of the signature changed",
      () =>
        variant((url) => {
          const signature = url.searchParams.get("signature") ?? "";
          url.searchParams.set(
            "signature",
            `${signature[0] === "0" ? "1" : "0"}${signature.slice(1)}`,
          );
        }),
      403,
    ],
    [
      "signed with another secret",
      () =>
        variant((url) => {
          const expires = Number(url.searchParams.get("expires"));
          url.searchParams.set(
            "signature",
            signMedia("another-secret-of-at-least-32-characters", idOf(url), expires),
          );
        }),
      403,
    ],
    [
      "its expiry pushed a day later",
      () =>
        variant((url) => {
          url.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 86_400));
        }),
      403,
    ],
    [
      "expired (genuinely signed, a minute ago)",
      () =>
        variant((url) => {
          const expires = nowSeconds() - 60;
          url.searchParams.set("expires", String(expires));
          url.searchParams.set("signature", signMedia(testSigningSecret, idOf(url), expires));
        }),
      410,
    ],
    ["no signature", () => variant((url) => url.searchParams.delete("signature")), 403],
    [
      "the signature in capitals",
      () =>
        variant((url) => {
          url.searchParams.set(
            "signature",
            (url.searchParams.get("signature") ?? "").toUpperCase(),
          );
        }),
      403,
    ],
    [
      "another id with this link's signature",
      () =>
        variant((url) => {
          url.pathname = `/media/${"A".repeat(24)}`;
        }),
      403,
    ],
    [
      "a genuinely signed id that holds nothing",
      () =>
        variant((url) => {
          const id = "B".repeat(24);
          url.pathname = `/media/${id}`;
          url.searchParams.set(
            "signature",
            signMedia(testSigningSecret, id, Number(url.searchParams.get("expires"))),
          );
        }),
      404,
    ],
    [
      "a path climbing out of the media folder",
      () => `${stack.baseUrl}/media/..%2F..%2Fjobs.sqlite${link.search}`,
      404,
    ],
  ])("%s", async (_name, url, status) => {
    expect(await fetchStatus(url())).toEqual({ status, leaked: false });
  });
});
