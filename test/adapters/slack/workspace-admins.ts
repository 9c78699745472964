import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import type { FakeSlack } from "../../fakes/fake-slack.ts";

export interface WorkspaceAdmins {
  /** Pass as SLACK_API_URL. */
  apiUrl: string;
  close(): Promise<void>;
}

/**
 * A loopback front for the fake Slack's Web API that passes every call through, and marks `admins`
 * as workspace admins in `users.info` answers (`is_admin: true`), as Slack does.
 */
export async function startWorkspaceAdmins(
  fake: FakeSlack,
  admins: ReadonlySet<string>,
): Promise<WorkspaceAdmins> {
  const server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const { host: _host, connection: _connection, ...headers } = incoming.headers;
    const upstream = await request(`${fake.url}${incoming.url ?? "/"}`, {
      method: "POST",
      headers,
      body: Buffer.concat(chunks),
    });
    let body = Buffer.from(await upstream.body.arrayBuffer());
    if (incoming.url?.startsWith("/api/users.info")) {
      const answer = JSON.parse(body.toString("utf8")) as { user?: { id: string } };
      if (answer.user && admins.has(answer.user.id)) {
        body = Buffer.from(JSON.stringify({ ...answer, user: { ...answer.user, is_admin: true } }));
      }
    }
    const contentType = String(upstream.headers["content-type"] ?? "application/json");
    outgoing.writeHead(upstream.statusCode, { "content-type": contentType }).end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
