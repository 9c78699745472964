import { FormData } from "undici";
import type { MediaSource } from "./media-host.ts";
import { safeFileName, sourceBlob } from "./media-source-bytes.ts";

export interface CommitAuthor {
  name: string;
  email: string;
}

/** The commit fields every repository write carries: `message`, `name`, `email`. */
export function oxenCommitForm(message: string, author: CommitAuthor): FormData {
  const form = new FormData();
  form.append("message", message);
  form.append("name", author.name);
  form.append("email", author.email);
  return form;
}

/** A one-file upload to the full path in the URL: the `file` part plus the commit fields. */
export async function oxenFileForm(
  source: MediaSource,
  message: string,
  author: CommitAuthor,
): Promise<FormData> {
  const form = oxenCommitForm(message, author);
  form.append("file", await sourceBlob(source), safeFileName(source.fileName));
  return form;
}
