import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { multipartOf, type RecordedRequest, sendBytes, sendJson } from "./fake-oxen-http.ts";
import { envelopes } from "./fake-oxen-jobs.ts";

/** A repository the fake hub holds files in; `public` ones serve files without a key. */
export interface FakeOxenRepo {
  name: string;
  public: boolean;
  branches?: string[];
}

export interface FakeRepoFile {
  bytes: Buffer;
  contentType: string;
  /** The file part's own name. */
  fileName: string;
  commit: { message: string; name: string; email: string };
}

export interface FakeRepoCommit {
  method: "PUT" | "DELETE";
  path: string;
  message: string;
  name: string;
  email: string;
}

const filePattern = /^\/api\/repos\/([^/]+)\/([^/]+)\/file\/([^/]+)\/(.+)$/;

/**
 * `PUT|GET|DELETE /api/repos/{ns}/{repo}/file/{branch}/{path}` as oxen-server documents them:
 * multipart `file` + `message`/`name`/`email` to write, the same commit fields to delete.
 * Files are keyed `ns/repo/branch/path`.
 */
export class FakeOxenRepoFiles {
  readonly files = new Map<string, FakeRepoFile>();
  readonly commits: FakeRepoCommit[] = [];
  readonly #repos: FakeOxenRepo[];

  constructor(repos: FakeOxenRepo[]) {
    this.#repos = repos;
  }

  /** Whether a GET can be answered without a key (a stored file in a public repository). */
  isPublicRead(recorded: RecordedRequest): boolean {
    const target = this.#target(recorded.pathname);
    return recorded.method === "GET" && target?.repo?.public === true && this.files.has(target.key);
  }

  /** Answers a repository file request; false when the path is not one (the hub routes it). */
  async handle(recorded: RecordedRequest, response: ServerResponse): Promise<boolean> {
    const target = this.#target(recorded.pathname);
    if (!target || !["GET", "PUT", "DELETE"].includes(recorded.method)) return false;
    const stored = this.files.get(target.key);
    if (recorded.method === "GET") {
      if (!stored) return false;
      sendBytes(response, stored.bytes, stored.contentType);
      return true;
    }
    if (!target.repo || !(target.repo.branches ?? ["main"]).includes(target.branch)) {
      sendJson(response, 404, envelopes.notFound);
      return true;
    }
    const form = await multipartOf(recorded);
    const commit = {
      message: String(form?.get("message") ?? ""),
      name: String(form?.get("name") ?? ""),
      email: String(form?.get("email") ?? ""),
    };
    if (recorded.method === "DELETE") {
      if (!stored) {
        sendJson(response, 404, envelopes.notFound);
        return true;
      }
      this.files.delete(target.key);
    } else {
      const file = form?.get("file");
      if (!(file instanceof Blob)) {
        const detail = "Invalid target path: expected a full file path for `file` uploads";
        sendJson(response, 400, envelopes.invalid(detail));
        return true;
      }
      this.files.set(target.key, {
        bytes: Buffer.from(await file.arrayBuffer()),
        contentType: file.type || "application/octet-stream",
        fileName: file instanceof File ? file.name : "",
        commit,
      });
    }
    this.commits.push({
      method: recorded.method as "PUT" | "DELETE",
      path: target.path,
      ...commit,
    });
    const id = createHash("sha256").update(`${target.key}${this.commits.length}`).digest("hex");
    sendJson(response, 200, {
      status: "success",
      status_message: "resource_created",
      commit: { id: id.slice(0, 32), message: commit.message, author: commit.name },
    });
    return true;
  }

  #target(pathname: string) {
    const match = filePattern.exec(pathname);
    if (!match) return undefined;
    const [, namespace = "", name = "", branch = "", rest = ""] = match.map((part) =>
      decodeURIComponent(part),
    );
    const repo = this.#repos.find((candidate) => candidate.name === `${namespace}/${name}`);
    return { repo, branch, path: rest, key: `${namespace}/${name}/${branch}/${rest}` };
  }
}
