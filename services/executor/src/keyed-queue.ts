// Runs tasks concurrently across keys but strictly in order within one key: two orders are
// executed in parallel, the events of one order never overtake each other.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly maxInFlight: number) {}

  /** Resolves when the task is queued (waits while too many tasks are in flight). */
  async push(key: string, task: () => Promise<void>): Promise<void> {
    while (this.running >= this.maxInFlight) await new Promise<void>((r) => this.waiters.push(r));
    this.running++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(task).finally(() => {
      this.running--;
      this.waiters.shift()?.();
      if (this.tails.get(key) === run) this.tails.delete(key);
    });
    this.tails.set(
      key,
      run.catch(() => {}),
    );
  }

  /** Waits for everything queued so far. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
