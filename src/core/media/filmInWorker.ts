/**
 * assembleFilm (filmAssembly.ts) on a worker thread, one per film, so that the thread that asks for
 * the film (the extension host's) keeps its event loop free: the packet copy and mediabunny's first
 * load stall it otherwise (docs/decisions.md, "Assembling a film off the extension host's thread").
 * Same contract as assembleFilm: the same film, the same errors with the same kinds, translated.
 */
import { readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { OmniVideoError, describeError } from '../common/errors';
import { l10n } from '../common/l10n';
import { temporaryFilmTime, type AssembledFilm, type FilmClip } from './filmAssembly';
import { fromFilmWorkerSchema, type FilmWorkerData, type ToFilmWorker } from './filmWorkerProtocol';
import { workerEntry, type WorkerEntry } from './workerEntry';

/** How long a cancelled worker has to stop by itself (removing its temporary file) before it is terminated. */
const CANCEL_GRACE_MS = 5000;

export interface FilmAssemblyOptions {
  signal?: AbortSignal;
  /** The share done, 0 to 1, at most once per whole percent; the last is 1. */
  onProgress?: (done: number) => void;
  /** The worker's translations: VS Code's `vscode.l10n.bundle` (English message → translation). */
  translations?: Record<string, string>;
}

/** The film worker's script (workerEntry.ts). */
export const filmWorkerEntry = (): WorkerEntry => workerEntry('filmWorker');

/** Joins `clips` into `destination` as assembleFilm does, on a worker thread. */
export function assembleFilmInWorker(clips: readonly FilmClip[], destination: string, options: FilmAssemblyOptions = {}): Promise<AssembledFilm> {
  return assembleFilmWith(filmWorkerEntry(), clips, destination, options);
}

/**
 * The same with a given worker script (tests start scripts that fail). A worker that dies, or says
 * what cannot be understood, is a `filesystem` error; one that does not stop within
 * CANCEL_GRACE_MS of a cancel is terminated. Either way its temporary file is removed.
 */
export function assembleFilmWith(entry: WorkerEntry, clips: readonly FilmClip[], destination: string, options: FilmAssemblyOptions = {}): Promise<AssembledFilm> {
  const { signal, onProgress, translations } = options;
  const cancelled = () => new OmniVideoError('cancelled', l10n.t('The film was not assembled: cancelled.'));
  if (signal?.aborted) return Promise.reject(cancelled());
  const begun = Date.now();
  const workerData: FilmWorkerData = { clips: clips.map((clip) => ({ path: clip.path, title: clip.title })), destination, translations };
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(entry.file, { workerData, execArgv: entry.execArgv });
    } catch (error) {
      reject(new OmniVideoError('filesystem', l10n.t('The film could not be written: {0}', describeError(error)), { cause: error }));
      return;
    }
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies ToFilmWorker);
      killTimer = setTimeout(() => end(() => reject(cancelled()), true), CANCEL_GRACE_MS);
    };
    /** Settles once, after the thread has ended (and, when it did not finish cleanly, its temporary file is gone). */
    const end = (settle: () => void, leftovers = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      void worker
        .terminate()
        .then(() => (leftovers ? removeTemporaryFilms(destination, begun) : undefined))
        .catch(() => undefined)
        .then(settle);
    };
    // As assembleFilm: once the signal has fired, any failure is the cancellation.
    const fail = (error: OmniVideoError, leftovers = false) => end(() => reject(signal?.aborted && error.kind !== 'cancelled' ? cancelled() : error), leftovers);
    const died = (reason: string, cause?: unknown) => fail(new OmniVideoError('filesystem', l10n.t('The film could not be written: {0}', reason), { cause }), true);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (raw: unknown) => {
      if (settled) return;
      const parsed = fromFilmWorkerSchema.safeParse(raw);
      if (!parsed.success) return died(l10n.t('the assembly sent a message that is not understood'));
      const message = parsed.data;
      if (message.type === 'progress') {
        // As in-process, a callback that throws fails the assembly (here it would throw in an event listener).
        try {
          onProgress?.(message.done);
        } catch (error) {
          died(describeError(error), error);
        }
      } else if (message.type === 'done') end(() => resolve(message.film));
      else fail(new OmniVideoError(message.kind, message.message));
    });
    // Kept after the end too: an 'error' event without a listener would throw.
    worker.on('error', (error) => died(describeError(error), error));
    worker.on('exit', (code) => died(l10n.t('the assembly stopped before it finished (exit code {0})', code)));
  });
}

/** Removes the temporary files of `destination` that this process began at or after `since`. */
async function removeTemporaryFilms(destination: string, since: number): Promise<void> {
  const folder = path.dirname(destination);
  const names = await readdir(folder).catch(() => [] as string[]);
  const ours = names.filter((name) => (temporaryFilmTime(destination, name) ?? -1) >= since);
  await Promise.all(ours.map((name) => rm(path.join(folder, name), { force: true })));
}
