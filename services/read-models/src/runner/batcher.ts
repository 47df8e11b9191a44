// Group commit for the consume loop: while one batch is being applied, the messages that arrive
// are collected, and the next batch is everything collected (up to `max`). Idle, a message is
// applied as soon as it arrives; under load, batches grow by themselves.
//
// Why not "flush when the iterator holds nothing else" (messages.getPending() <= 1): nats.js
// queues its own refill callbacks in the same queue, so the count can stay above 1 after the last
// message of a burst. The partial batch then waited for the next message or for ack_wait's
// redelivery (30 s at the tail of a rebuild).
export class Batcher<T> {
  private buffer: T[] = [];
  private running: Promise<void> | null = null;
  private failure: { err: unknown } | null = null;
  private stopped = false;

  constructor(
    private readonly max: number,
    private readonly apply: (batch: T[]) => Promise<void>,
  ) {}

  /**
   * Adds an item and starts applying if idle. Waits (backpressure) only when a full batch is
   * already waiting; throws if an apply failed (the caller reopens from the checkpoint, so the
   * items still buffered are not lost: they were never acked).
   */
  async push(item: T): Promise<void> {
    this.throwIfFailed();
    if (this.stopped) return;
    this.buffer.push(item);
    if (!this.running) {
      const run = this.run();
      this.running = run;
      void run.then(() => {
        if (this.running === run) this.running = null;
      });
    }
    if (this.buffer.length >= this.max) await this.running;
    this.throwIfFailed();
  }

  /** Waits until everything pushed has been applied (or an apply failed: then it throws). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    this.throwIfFailed();
  }

  /** Applies nothing more; what is buffered stays unacked and is redelivered to the next holder. */
  stop(): void {
    this.stopped = true;
    this.buffer = [];
  }

  private async run(): Promise<void> {
    try {
      while (this.buffer.length > 0 && !this.stopped) {
        await this.apply(this.buffer.splice(0, this.max));
      }
    } catch (err) {
      this.failure = { err };
      this.buffer = [];
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.err;
  }
}
