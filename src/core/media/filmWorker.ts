/**
 * The film worker's entry: one film assembled (filmAssembly.ts) on a worker thread of its own, started
 * by filmInWorker.ts, so that the packet copy never runs on the extension host's thread (docs/decisions.md,
 * "Assembling a film off the extension host's thread"). Bundled on its own as dist/filmWorker.js.
 *
 * It reads its `workerData` (filmWorkerProtocol.ts), translates its messages with the bundle it was
 * given, reports progress, then the film or an error, and stops when asked to.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { OmniVideoError, describeError } from '../common/errors';
import { formatMessage, l10n, useTranslator } from '../common/l10n';
import { assembleFilm } from './filmAssembly';
import { filmWorkerDataSchema, toFilmWorkerSchema, type FromFilmWorker } from './filmWorkerProtocol';

async function run(port: MessagePort, data: unknown): Promise<void> {
  const post = (message: FromFilmWorker) => port.postMessage(message);
  const abort = new AbortController();
  port.on('message', (message: unknown) => {
    if (toFilmWorkerSchema.safeParse(message).success) abort.abort();
  });
  try {
    const parsed = filmWorkerDataSchema.safeParse(data);
    if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
    const { clips, destination, translations } = parsed.data;
    // As vscode.l10n.t does with its bundle: the English text looked up, then the placeholders filled in.
    if (translations) useTranslator((message, ...args) => formatMessage(translations[message] ?? message, args));
    let percent = -1;
    const film = await assembleFilm(clips, destination, {
      signal: abort.signal,
      onProgress: (done) => {
        if (Math.floor(done * 100) <= percent) return;
        percent = Math.floor(done * 100);
        post({ type: 'progress', done });
      },
    });
    if (percent < 100) post({ type: 'progress', done: 1 });
    post({ type: 'done', film });
  } catch (error) {
    const reported = error instanceof OmniVideoError ? error : new OmniVideoError('filesystem', l10n.t('The film could not be written: {0}', describeError(error)));
    post({ type: 'error', kind: reported.kind, message: reported.message });
  } finally {
    // Nothing more to wait for: the thread ends (its messages are delivered first).
    port.unref();
  }
}

if (!isMainThread && parentPort) void run(parentPort, workerData);
