/**
 * The poster worker's entry: reads gallery posters (posterFrames.ts) on a thread of its own, started by
 * posterReader.ts, so that mediabunny's load and its reading of each file never hold the extension
 * host's thread while the gallery fills (docs/decisions.md, "Gallery thumbnails from the first
 * packets"). Bundled on its own as dist/posterWorker.js. Answers each request with the poster, its
 * packet bytes handed over rather than copied, or null.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { readPosterFrames } from './posterFrames';
import { toPosterWorkerSchema, type FromPosterWorker } from './posterWorkerProtocol';

function serve(port: MessagePort): void {
  port.on('message', (raw: unknown) => {
    const parsed = toPosterWorkerSchema.safeParse(raw);
    if (!parsed.success) return;
    const { id, file, keyOnly } = parsed.data;
    void readPosterFrames(file, { keyOnly }).then((poster) => {
      const message: FromPosterWorker = { id, poster: poster ?? null };
      // Each packet's bytes are its own buffer (posterFrames.ts copies them out of the file's reads).
      const buffers = poster ? [...poster.packets.map((p) => p.data.buffer as ArrayBuffer), ...(poster.description ? [poster.description.buffer as ArrayBuffer] : [])] : [];
      port.postMessage(message, buffers);
    });
  });
}

if (!isMainThread && parentPort) serve(parentPort);
