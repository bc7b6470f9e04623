/**
 * Runs `action` once `quietMs` have passed without a `poke()`. Each poke only moves the time it is due;
 * the one timer, when it fires, checks that time and waits again if it moved. A thousand pokes (file
 * events, saved videos) clear and set no timers: doing that per event held the extension host for 30 ms
 * and more.
 */
export class QuietTimer {
  private due = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly quietMs: number,
    private readonly action: () => void,
  ) {}

  poke(): void {
    this.due = performance.now() + this.quietMs;
    this.timer ??= setTimeout(() => this.check(), this.quietMs);
  }

  /** Drops a pending run. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const wait = this.due - performance.now();
    if (wait > 1) {
      this.timer = setTimeout(() => this.check(), wait);
      return;
    }
    this.timer = undefined;
    this.action();
  }
}
