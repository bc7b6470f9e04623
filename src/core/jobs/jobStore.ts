import { jobRecordSchema, isActive, type JobRecord } from './jobModel';
import { BurstWriter } from '../common/burstWriter';
import { silentLogger, type Logger } from '../common/logger';

/** The persistence the store needs: VS Code's `Memento` fits it. */
export interface StateStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

type Listener = (job: JobRecord) => void;

const STORAGE_KEY = 'omniVideo.jobs.v1';

/**
 * The one source of truth for job state. The status bar, the jobs view, the preview and the exported
 * API all read from it and listen to its changes.
 */
export class JobStore {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly listeners = new Set<Listener>();
  /** The ids newest first, kept until a job is added or removed (a job's createdAt never changes). */
  private order: string[] | undefined;
  private readonly writer = new BurstWriter(
    () => this.storage.update(STORAGE_KEY, [...this.jobs.values()]),
    (error) => this.logger.error(`Could not save the job list: ${(error as Error).message}`),
  );

  constructor(
    private readonly storage: StateStorage,
    private readonly logger: Logger = silentLogger,
  ) {
    const saved = storage.get<unknown[]>(STORAGE_KEY) ?? [];
    for (const value of Array.isArray(saved) ? saved : []) {
      const parsed = jobRecordSchema.safeParse(value);
      if (parsed.success) this.jobs.set(parsed.data.id, parsed.data);
      else this.logger.warn(`Ignoring a saved job that does not parse: ${parsed.error.issues[0]?.message}`);
    }
  }

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  /**
   * Newest first; jobs created in the same second (the server's `created_at` counts seconds) the last
   * added first. Sorted once per added or removed job, not on every call: the views call it on every change.
   */
  list(): JobRecord[] {
    this.order ??= [...this.jobs.values()].reverse().sort((a, b) => b.createdAt - a.createdAt).map((job) => job.id);
    return this.order.map((id) => this.jobs.get(id)!);
  }

  active(): JobRecord[] {
    return this.list().filter(isActive);
  }

  add(job: JobRecord): void {
    this.jobs.set(job.id, job);
    this.order = undefined;
    this.changed(job);
  }

  /**
   * Applies `patch`. A patch that changes nothing (a poll that finds the job as it was) is not a
   * change: no listener runs and nothing is written, so the views do not redraw under the user's
   * pointer (an open context menu stays valid) and 50 queued jobs do not rewrite the store each round.
   */
  update(id: string, patch: Partial<JobRecord>): JobRecord | undefined {
    const current = this.jobs.get(id);
    if (!current) return undefined;
    const same = (Object.keys(patch) as (keyof JobRecord)[]).every((key) => JSON.stringify(patch[key]) === JSON.stringify(current[key]));
    if (same) return current;
    const next = { ...current, ...patch, id };
    this.jobs.set(id, next);
    this.changed(next);
    return next;
  }

  remove(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    this.jobs.delete(id);
    this.order = undefined;
    this.persist();
    for (const listener of this.listeners) listener({ ...job, phase: job.phase });
    return true;
  }

  /** How many listeners the store has (a leak would grow it). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves once every change so far has been written to storage. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  private changed(job: JobRecord): void {
    this.persist();
    for (const listener of this.listeners) {
      try {
        listener(job);
      } catch (error) {
        this.logger.error(`A job listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Writes the job list, once for a burst of changes (BurstWriter). */
  private persist(): void {
    this.writer.request();
  }
}
