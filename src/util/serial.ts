const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the work given to it one piece at a time, in order; a failure does not block what follows. */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #yieldBetween: boolean;

  /**
   * With `yieldBetween`, each piece starts on a later turn of the event loop, after the input
   * already waiting on sockets has been read: queued work never delays answering new input.
   */
  constructor(options: { yieldBetween?: boolean } = {}) {
    this.#yieldBetween = options.yieldBetween ?? false;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const start = this.#yieldBetween ? this.#tail.then(nextTurn) : this.#tail;
    const run = start.then(work);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once everything given so far has finished. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
