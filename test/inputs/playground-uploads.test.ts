import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { jpg, png, textAsImage, truncated, webp } from "./support/hostile-media.ts";

let stack: PlaygroundStack;
let client: PlaygroundClient;
beforeAll(async () => {
  stack = await startPlaygroundStack({ delayMs: 40 });
  client = new PlaygroundClient(stack.baseUrl);
});
afterAll(async () => {
  await stack.close();
});

describe("bad input in the playground: uploads, checked from their bytes", () => {
  it.each<[string, Buffer, string, RegExp]>([
    [
      "text named cat.png",
      textAsImage,
      "cat.png",
      /cat\.png is not a type the models read; attach JPEG, PNG or WebP images/,
    ],
    [
      "a cut-off PNG",
      truncated.png,
      "cut.png",
      /cut\.png is a cut-off PNG \(40 bytes, its end is missing\)/,
    ],
    ["a cut-off JPEG", truncated.jpg, "cut.jpg", /cut\.jpg is a cut-off JPEG/],
    ["a cut-off WebP", truncated.webp, "cut.webp", /cut\.webp is a cut-off WEBP/],
    ["an empty file", Buffer.alloc(0), "empty.png", /empty\.png is not a type the models read/],
  ])("%s: 422, named", async (_name, bytes, name, pattern) => {
    const answer = await client.upload(bytes, name);
    expect(answer.status).toBe(422);
    expect(answer.body.error?.message).toMatch(pattern);
  });

  it("a file name carrying a path and control characters is cut down to a plain name", async () => {
    const answer = await client.upload(png, "../../etc/\u0000pass\u001bwd.png");
    expect(answer.status).toBe(201);
    expect(answer.body.attachment).toMatchObject({ fileName: "passwd.png" });
  });

  it("whole WebP, JPEG and PNG files still pass", async () => {
    for (const [bytes, name] of [
      [webp, "a.webp"],
      [jpg, "a.jpg"],
      [png, "a.png"],
    ] as const) {
      expect((await client.upload(bytes, name)).status).toBe(201);
    }
  });
});

describe("bad input in the playground: malformed API calls", () => {
  const raw = async (body: string, contentType = "application/json") => {
    const response = await request(`${stack.baseUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });
    return {
      status: response.statusCode,
      body: (await response.body.json()) as { error?: { message: string } },
    };
  };

  it.each<
    [
      string,
      () => Promise<{ status: number; body: { error?: { message: string } } }>,
      number,
      RegExp,
    ]
  >([
    [
      "13 attachments",
      () =>
        client.post("/api/messages", {
          clientRequestId: clientId(),
          threadId: clientId(),
          text: "x",
          attachmentIds: Array.from({ length: 13 }, (_, index) => `id${index}`),
        }),
      400,
      /attachmentIds: .*<=12/,
    ],
    [
      "a thread id with markup",
      () =>
        client.post("/api/messages", {
          clientRequestId: clientId(),
          threadId: "<script>alert(1)</script>",
          text: "x",
        }),
      400,
      /threadId: must be 8–64 letters, digits, - or _/,
    ],
    ["a body that is not JSON", () => raw("{nope"), 400, /The body is not valid JSON/],
    [
      "a form post instead of JSON",
      () => raw("text=hi", "application/x-www-form-urlencoded"),
      415,
      /Send JSON/,
    ],
    [
      "an unknown reaction",
      () =>
        client.post("/api/reactions", { clientRequestId: clientId(), jobId: "abc", emoji: "💣" }),
      400,
      /emoji: /,
    ],
  ])("%s", async (_name, send, status, pattern) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body.error?.message).toMatch(pattern);
    expect(stack.submissions()).toBe(0);
  });
});
