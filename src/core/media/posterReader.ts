/**
 * Gallery posters read on a worker thread (posterWorker.ts): one worker per reader, started on the first
 * read and stopped after a quiet spell, so an open gallery keeps no thread while nothing is asked. A
 * worker that dies or answers what cannot be understood gives no poster (the gallery then shows the
 * video itself); the next read starts a new one. No `vscode` import.
 */
import { Worker } from 'node:worker_threads';
import type { PosterFrames } from './posterFrames';
import { fromPosterWorkerSchema, type ToPosterWorker } from './posterWorkerProtocol';
import { workerEntry, type WorkerEntry } from './workerEntry';

/** How long a worker with nothing to read stays before it stops. */
export const POSTER_WORKER_IDLE_MS = 30_000;
/**
 * How long a read may take (a few milliseconds as a rule). A worker that has not answered by then is
 * ended, and what it was reading gets no poster: a stuck read must not hold the gallery's reads for ever.
 */
export const POSTER_READ_TIMEOUT_MS = 10_000;

export class PosterReader {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (poster: PosterFrames | undefined) => void>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly entry: WorkerEntry = workerEntry('posterWorker'),
    private readonly idleMs = POSTER_WORKER_IDLE_MS,
    private readonly readTimeoutMs = POSTER_READ_TIMEOUT_MS,
  ) {}

  /**
   * The poster packets of `file` (`keyOnly`: its key frame alone, see PosterReadOptions), or undefined
   * when it has none to read (or the reader is closed).
   */
  read(file: string, { keyOnly = false } = {}): Promise<PosterFrames | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => void this.stop(worker), this.readTimeoutMs).unref();
      this.pending.set(id, (poster) => {
        clearTimeout(timer);
        resolve(poster);
      });
      worker.postMessage({ id, file, keyOnly } satisfies ToPosterWorker);
    });
  }

  /** Whether a worker thread is running now (tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the thread; resolves once it has stopped. */
  dispose(): Promise<void> {
    this.disposed = true;
    return this.stop();
  }

  private start(): Worker | undefined {
    let worker: Worker;
    try {
      worker = new Worker(this.entry.file, { execArgv: this.entry.execArgv });
    } catch {
      return undefined;
    }
    this.worker = worker;
    worker.unref(); // an idle reader never keeps a process alive
    worker.on('message', (raw: unknown) => {
      const parsed = fromPosterWorkerSchema.safeParse(raw);
      if (!parsed.success) return void this.stop(); // not our worker's answer: trust none of what follows
      const resolve = this.pending.get(parsed.data.id);
      this.pending.delete(parsed.data.id);
      resolve?.(parsed.data.poster ?? undefined);
      if (this.pending.size === 0) this.idleTimer = setTimeout(() => void this.stop(), this.idleMs).unref();
    });
    // Kept after the end too: an 'error' event without a listener would throw.
    worker.on('error', () => void this.stop(worker));
    worker.on('exit', () => void this.stop(worker));
    return worker;
  }

  /** Ends the worker (`only`: if it is still the current one); what it was reading gets no poster. */
  private async stop(only?: Worker): Promise<void> {
    const worker = this.worker;
    if (!worker || (only && worker !== only)) return;
    this.worker = undefined;
    clearTimeout(this.idleTimer);
    for (const resolve of this.pending.values()) resolve(undefined);
    this.pending.clear();
    await worker.terminate().catch(() => undefined);
  }
}
