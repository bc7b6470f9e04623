/**
 * A fixed number of slots: `acquire()` takes a free one, or waits for one in order, and resolves to the
 * function that gives it back. Waiting ends with `onAbort()`'s error when `signal` aborts.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(signal: AbortSignal | undefined, onAbort: () => Error): Promise<() => void> {
    if (signal?.aborted) throw onAbort();
    if (this.free > 0) {
      this.free--;
      return this.release();
    }
    await new Promise<void>((resolve, reject) => {
      const granted = () => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = () => {
        this.waiting.splice(this.waiting.indexOf(granted), 1);
        reject(onAbort());
      };
      this.waiting.push(granted);
      signal?.addEventListener('abort', aborted, { once: true });
    });
    return this.release();
  }

  /** Gives the slot to the next in line, or back to the free ones; only once. */
  private release(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
