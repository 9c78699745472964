import type { Entry, NoticeEntry } from "./entries.ts";
import { describeFailure } from "./http-io.ts";
import type { Answer, PlaygroundContext } from "./playground-context.ts";

/**
 * The error shown inline in the thread: a UserFacingError's own words, or a generic apology
 * (the details go to the log only).
 */
export function failureAnswer(
  context: PlaygroundContext,
  error: unknown,
  place: { id: string; threadId: string; replyTo?: string },
  shown: Entry[] = [],
): Answer {
  const failure = describeFailure(error);
  if (!failure) context.logger.error({ err: error }, "playground request failed");
  const notice: NoticeEntry = {
    kind: "error",
    id: place.id,
    threadId: place.threadId,
    at: context.now(),
    text:
      failure?.message ??
      "Something went wrong on the bot's side and it has been logged; please try again.",
    ...(place.replyTo ? { replyTo: place.replyTo } : {}),
  };
  context.timeline.upsert(notice);
  return { status: failure?.status ?? 500, entries: [...shown, notice] };
}

/**
 * Runs each client request id once: a repeated POST (double click, retry after a lost answer)
 * gets the first answer. Server errors are forgotten so a retry can succeed.
 */
export function createOnce(limit = 500) {
  const answers = new Map<string, Promise<Answer>>();
  return function once(key: string, run: () => Promise<Answer>): Promise<Answer> {
    const existing = answers.get(key);
    if (existing) return existing;
    const answer = run().then((result) => {
      if (result.status >= 500) answers.delete(key);
      return result;
    });
    answers.set(key, answer);
    for (const oldest of answers.keys()) {
      if (answers.size <= limit) break;
      answers.delete(oldest);
    }
    return answer;
  };
}
