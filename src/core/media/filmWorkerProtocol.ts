/**
 * What crosses between the thread that wants a film (filmInWorker.ts) and the worker thread that
 * assembles it (filmWorker.ts): the worker's data, and the messages each way. Both sides check what
 * they receive with these schemas.
 */
import { z } from 'zod';
import type { ErrorKind } from '../common/errors';

/** Every kind of OmniVideoError, so that an error reported by the worker keeps its kind. */
const ERROR_KINDS: Record<ErrorKind, true> = {
  auth: true,
  rateLimited: true,
  server: true,
  network: true,
  proxy: true,
  timeout: true,
  badRequest: true,
  notFound: true,
  notReady: true,
  invalidResponse: true,
  download: true,
  filesystem: true,
  config: true,
  duplicate: true,
  unknownOutcome: true,
  limit: true,
  cancelled: true,
};

/**
 * The worker's `workerData`. `translations` is VS Code's `vscode.l10n.bundle`: the English messages
 * are its keys; a value may also be written `{ message, comment }`.
 */
export const filmWorkerDataSchema = z.object({
  clips: z.array(z.object({ path: z.string().min(1), title: z.string() })),
  destination: z.string().min(1),
  translations: z.record(z.string(), z.union([z.string(), z.looseObject({ message: z.string() }).transform((value) => value.message)])).optional(),
});
export type FilmWorkerData = z.input<typeof filmWorkerDataSchema>;

/** To the worker: stop (it removes its temporary file and reports `cancelled`). */
export const toFilmWorkerSchema = z.object({ type: z.literal('cancel') });
export type ToFilmWorker = z.infer<typeof toFilmWorkerSchema>;

/** From the worker: progress (the share done, at most once per whole percent), then the film or an error. */
export const fromFilmWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), done: z.number().min(0).max(1) }),
  z.object({ type: z.literal('done'), film: z.object({ starts: z.array(z.number()), duration: z.number() }) }),
  z.object({ type: z.literal('error'), kind: z.enum(Object.keys(ERROR_KINDS) as [ErrorKind, ...ErrorKind[]]), message: z.string() }),
]);
export type FromFilmWorker = z.infer<typeof fromFilmWorkerSchema>;
