import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Serial } from "../../src/util/serial.ts";

let server: ReturnType<typeof createServer> | undefined;
let client: Socket | undefined;
afterEach(async () => {
  client?.destroy();
  server?.close();
  server = undefined;
  client = undefined;
});

/** A loopback connection: the client writes, the returned socket is the server's end. */
async function connection(): Promise<Socket> {
  server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const accepted = once(server, "connection");
  client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  await once(client, "connect");
  const [socket] = (await accepted) as [Socket];
  return socket;
}

describe("Serial", () => {
  it("runs pieces in order, one at a time, and a failure does not stop the next", async () => {
    const serial = new Serial();
    const order: string[] = [];
    let release = () => {};
    const first = serial.run(async () => {
      order.push("first started");
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push("first finished");
    });
    const failing = serial.run(async () => {
      order.push("failing");
      throw new Error("no");
    });
    const third = serial.run(async () => order.push("third"));
    // However long the first piece takes, the others wait for it.
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(["first started"]);
    release();
    await first;
    await expect(failing).rejects.toThrow("no");
    await third;
    await serial.idle();
    expect(order).toEqual(["first started", "first finished", "failing", "third"]);
  });

  it("without yielding, input waiting on a socket is read only after all queued work", async () => {
    const socket = await connection();
    const serial = new Serial();
    let piecesDone = 0;
    const arrived = once(socket, "data").then(() => piecesDone);
    const pieces = Array.from({ length: 40 }, () =>
      serial.run(async () => {
        if (piecesDone === 0) client?.write("a new command");
        piecesDone++;
      }),
    );
    await Promise.all(pieces);
    expect(await arrived).toBe(40);
  });

  it("yielding between pieces, input is read while work is still queued", async () => {
    const socket = await connection();
    const serial = new Serial({ yieldBetween: true });
    let read = false;
    let queued = 0;
    let readWhileQueued = false;
    socket.once("data", () => {
      read = true;
      readWhileQueued = queued > 0;
    });
    // Each piece queues the next until the input is read, so the queue never drains first.
    // Without yielding this would never end; with it, the input is read between two pieces.
    const piece = async (): Promise<void> => {
      queued--;
      if (queued === 0 && !read) {
        queued++;
        void serial.run(piece);
      }
    };
    client?.write("a new command");
    queued++;
    void serial.run(piece);
    await once(socket, "data").catch(() => undefined);
    await serial.idle();
    expect(read).toBe(true);
    expect(readWhileQueued).toBe(true);
  });
});
