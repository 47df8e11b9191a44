// Progress on stderr while the benchmark runs: one redrawn status line on a terminal, throttled
// plain lines otherwise (CI logs). stdout stays clean for the final table.
const tty = process.stderr.isTTY === true;

export class Progress {
  private readonly started = Date.now();
  private phase = '';
  private detail = '';
  private lastPlain = 0;
  private readonly timer: NodeJS.Timeout | null;

  /** `live`: redraw a status line (the process running a scenario); otherwise only log lines. */
  constructor(
    private readonly totalPhases: number,
    private readonly live = true,
  ) {
    this.timer = tty && live ? setInterval(() => this.draw(), 250) : null;
    this.timer?.unref();
  }

  private index = 0;

  /** A new scenario starts. */
  phaseStart(name: string): void {
    this.index++;
    this.phase = name;
    this.detail = '';
    this.log(`▶ [${this.index}/${this.totalPhases}] ${name}`);
  }

  /** What the current scenario is doing now (e.g. "round 2/3, 41% "). */
  set(detail: string): void {
    this.detail = detail;
    if (this.live && !tty && Date.now() - this.lastPlain > 5000) {
      this.lastPlain = Date.now();
      process.stderr.write(`  ${this.elapsed()} ${detail}\n`);
    }
  }

  /** A line that stays (a finished round, a warning). */
  log(line: string): void {
    if (tty && this.live) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${line}\n`);
    if (tty && this.live) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (tty && this.live) process.stderr.write('\r\x1b[K');
  }

  private elapsed(): string {
    const s = Math.round((Date.now() - this.started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }

  private draw(): void {
    const where = this.totalPhases > 0 ? ` [${this.index}/${this.totalPhases}] ${this.phase}` : '';
    const line = `  ${this.elapsed()}${where}${this.detail ? ` ${this.detail}` : ''}`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
  }
}

/** Formats "done/total (pct%)". */
export const fraction = (done: number, total: number) => `${done}/${total} (${total ? Math.floor((100 * done) / total) : 0}%)`;
