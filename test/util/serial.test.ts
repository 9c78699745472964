import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Serial } from "../../src/util/serial.ts";

const busy = (milliseconds: number) => {
  const until = performance.now() + milliseconds;
  while (performance.now() < until) {}
};

let server: ReturnType<typeof createServer> | undefined;
let client: Socket | undefined;
afterEach(async () => {
  client?.destroy();
  server?.close();
  server = undefined;
  client = undefined;
});

/** Runs 40 pieces of 2 ms each; tells which piece was running when bytes sent at the start arrived. */
async function pieceRunningWhenInputArrives(serial: Serial): Promise<number> {
  server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const accepted = once(server, "connection");
  client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  await once(client, "connect");
  const [socket] = (await accepted) as [Socket];
  let piecesDone = 0;
  let seenAfter = -1;
  socket.once("data", () => {
    seenAfter = piecesDone;
  });
  const pieces = Array.from({ length: 40 }, () =>
    serial.run(async () => {
      if (piecesDone === 0) client?.write("a new command");
      busy(2);
      piecesDone++;
    }),
  );
  await Promise.all(pieces);
  for (let wait = 0; seenAfter < 0 && wait < 100; wait++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return seenAfter;
}

describe("Serial", () => {
  it("runs pieces in order, one at a time, and a failure does not stop the next", async () => {
    const serial = new Serial();
    const order: string[] = [];
    const first = serial.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push("first");
    });
    const failing = serial.run(async () => {
      order.push("failing");
      throw new Error("no");
    });
    const third = serial.run(async () => order.push("third"));
    await first;
    await expect(failing).rejects.toThrow("no");
    await third;
    await serial.idle();
    expect(order).toEqual(["first", "failing", "third"]);
  });

  it("without yielding, input waiting on a socket is read only after all queued work", async () => {
    expect(await pieceRunningWhenInputArrives(new Serial())).toBe(40);
  });

  it("yielding between pieces, input waiting on a socket is read after at most a few pieces", async () => {
    const seenAfter = await pieceRunningWhenInputArrives(new Serial({ yieldBetween: true }));
    expect(seenAfter).toBeGreaterThanOrEqual(1);
    expect(seenAfter).toBeLessThan(10);
  });
});
