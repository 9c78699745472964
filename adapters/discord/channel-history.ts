/** One page of a channel's messages, as `findDelivery` needs them: id, author, buttons. */
export interface SeenMessage {
  id: string;
  authorId: string;
  customIds: readonly string[];
}

/** Reads the page after `after` (exclusive), at most `limit` messages, in any order. */
export type ReadPage = (after: string, limit: number) => Promise<SeenMessage[]>;

/** What one job asks: is a message by the bot, after `after`, other than `except`, carrying `marker`? */
export interface PostQuestion {
  after: string;
  marker: string;
  except?: string | undefined;
}

interface Asker extends PostQuestion {
  afterId: bigint;
  resolve: (posted: boolean) => void;
  reject: (error: unknown) => void;
}

/** Discord's largest page. */
export const pageSize = 100;
/** How far past its starting point a job's post is looked for (the single look read four pages of 50). */
export const windowMessages = 200;
/** A read stops after this many pages whatever it still waits for: those jobs count as not posted. */
const maxPagesPerRead = 20;

/**
 * What the bot has read of one channel since a recovery began: every message id from `start` to
 * `newest`, and the bot's own posts with their buttons. Jobs asking about the same channel share
 * reads: one read at a time, and everyone who asked meanwhile is answered by the next one, which
 * goes on from the newest message already read. Discord's ids grow with time, so a message posted
 * since an earlier read is always newer than what it saw: the history stays complete. A job is told
 * "posted" as soon as its post is in what was read; "not posted" only by a read begun after it asked.
 */
export class ChannelHistory {
  readonly #read: ReadPage;
  readonly #botId: string;
  #start: bigint | undefined;
  #newest: bigint | undefined;
  readonly #ids: bigint[] = [];
  readonly #posts = new Map<string, bigint[]>();
  #waiting: Asker[] = [];
  #reading = false;
  #usedAt: number;

  constructor(read: ReadPage, botId: string, now: number) {
    this.#read = read;
    this.#botId = botId;
    this.#usedAt = now;
  }

  /** When a job last asked, or a read ended. */
  get usedAt(): number {
    return this.#usedAt;
  }

  /** Whether a read is under way or waited for (the history must not be forgotten then). */
  get busy(): boolean {
    return this.#reading || this.#waiting.length > 0;
  }

  ask(question: PostQuestion, now: number): Promise<boolean> {
    this.#usedAt = now;
    const afterId = BigInt(question.after);
    if (this.#start !== undefined && afterId >= this.#start && this.#postedIn(question, afterId))
      return Promise.resolve(true);
    return new Promise<boolean>((resolve, reject) => {
      this.#waiting.push({ ...question, afterId, resolve, reject });
      if (!this.#reading) void this.#readForWaiting();
    });
  }

  async #readForWaiting(): Promise<void> {
    this.#reading = true;
    try {
      while (this.#waiting.length > 0) {
        const askers = this.#waiting;
        this.#waiting = [];
        await this.#answer(askers).catch((error: unknown) => {
          for (const asker of askers) asker.reject(error);
        });
      }
    } finally {
      this.#reading = false;
    }
  }

  async #answer(askers: Asker[]): Promise<void> {
    let earliest = askers[0]?.afterId ?? 0n;
    for (const asker of askers) if (asker.afterId < earliest) earliest = asker.afterId;
    // Someone asks about older messages than were read: start again from there.
    if (this.#start === undefined || earliest < this.#start) this.#restart(earliest);
    let open = askers;
    for (let page = 0; page < maxPagesPerRead && open.length > 0; page++) {
      const from = this.#newest ?? this.#start ?? earliest;
      const messages = await this.#read(from.toString(), pageSize);
      const before = this.#newest;
      for (const message of messages) this.#remember(message, before);
      const ended = messages.length < pageSize;
      open = open.filter((asker) => {
        if (this.#postedIn(asker, asker.afterId)) asker.resolve(true);
        else if (ended || this.#seenAfter(asker.afterId) >= windowMessages) asker.resolve(false);
        else return true;
        return false;
      });
    }
    for (const asker of open) asker.resolve(false);
  }

  #restart(from: bigint): void {
    this.#start = from;
    this.#newest = undefined;
    this.#ids.length = 0;
    this.#posts.clear();
  }

  /** Keeps a message of the page read after `before` (the newest one known when it was asked for). */
  #remember(message: SeenMessage, before: bigint | undefined): void {
    const id = BigInt(message.id);
    if ((this.#start !== undefined && id <= this.#start) || (before !== undefined && id <= before))
      return;
    this.#ids.push(id);
    if (this.#newest === undefined || id > this.#newest) this.#newest = id;
    if (message.authorId !== this.#botId) return;
    for (const customId of message.customIds) {
      const posts = this.#posts.get(customId) ?? [];
      posts.push(id);
      this.#posts.set(customId, posts);
    }
  }

  #postedIn(question: PostQuestion, afterId: bigint): boolean {
    const except = question.except === undefined ? undefined : BigInt(question.except);
    return (this.#posts.get(question.marker) ?? []).some((id) => id > afterId && id !== except);
  }

  #seenAfter(afterId: bigint): number {
    let count = 0;
    for (const id of this.#ids) if (id > afterId) count++;
    return count;
  }
}
