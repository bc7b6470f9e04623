/**
 * One write for a burst of changes: `request()` queues a write unless one is queued already, and the
 * queued write takes the state as it is when it runs. Writes never overlap; an error goes to `onError`
 * and later writes still run. VS Code copies a whole stored value on every write, so a poll round that
 * changed 500 jobs, or 500 generations accepted together, wrote 500 copies and held the extension host.
 */
export class BurstWriter {
  private queued = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: () => PromiseLike<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.queued) return;
    this.queued = true;
    this.chain = this.chain
      .then(() => {
        this.queued = false;
        return this.write();
      })
      .catch(this.onError);
  }

  /** Resolves once every write requested so far is done. */
  flush(): Promise<void> {
    return this.chain;
  }
}
