/**
 * One timer for all jobs. It runs only while `hasWork()` is true, waits `intervalMs()` between rounds
 * (or longer when the server asked for it with Retry-After), and never overlaps two rounds.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private disposed = false;
  private notBefore = 0;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly hasWork: () => boolean,
    private readonly intervalMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while a timer is scheduled: for tests and diagnostics. */
  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Schedules the next round unless one is already scheduled or running. */
  ensureRunning(delayMs = this.intervalMs()): void {
    if (this.disposed || this.running || this.timer || !this.hasWork()) return;
    const wait = Math.max(delayMs, this.notBefore - this.now(), 0);
    this.timer = setTimeout(() => void this.run(), wait);
  }

  /** Runs a round as soon as possible (e.g. after the key was set, or on resume). */
  pollSoon(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.ensureRunning(0);
  }

  /** Asks the next round to wait at least `ms` (a server's Retry-After). */
  backOff(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.disposed) return;
    this.running = true;
    try {
      await this.round();
    } finally {
      this.running = false;
      this.ensureRunning();
    }
  }
}
