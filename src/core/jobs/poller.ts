/**
 * One timer for all jobs. It runs only while `hasWork()` is true, waits `intervalMs()` between rounds
 * (the owner makes that longer while every job is backing off), and never overlaps two rounds.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private disposed = false;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly hasWork: () => boolean,
    private readonly intervalMs: () => number,
  ) {}

  /** True while a timer is scheduled: for tests and diagnostics. */
  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Schedules the next round unless one is already scheduled or running. */
  ensureRunning(delayMs = this.intervalMs()): void {
    if (this.disposed || this.running || this.timer || !this.hasWork()) return;
    this.timer = setTimeout(() => void this.run(), Math.max(delayMs, 0));
  }

  /** Runs a round as soon as possible (e.g. after the key was set, or on resume). */
  pollSoon(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.ensureRunning(0);
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
