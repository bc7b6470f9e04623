import { open } from 'node:fs/promises';
import type * as Mediabunny from 'mediabunny';

/** The parts of mediabunny the extension uses: all that dist/mediabunny.js holds (mediabunnyParts.ts). */
export type MediabunnyParts = typeof import('./mediabunnyParts');

let loaded: MediabunnyParts | undefined;

/**
 * mediabunny (MPL-2.0), loaded on first use, like undici (core/api/undiciLoader.ts): the build puts the
 * parts we use (mediabunnyParts.ts) in dist/mediabunny.js, so activation does not parse it; run from
 * the sources it is the same parts.
 * Its warnings (a codec it does not know, an encryption scheme it cannot decrypt) are not printed: they
 * would land in the extension host's console, and what matters reaches the user as our own messages.
 */
export function mediabunny(): MediabunnyParts {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./mediabunnyParts') as MediabunnyParts;
    loaded.Logging.level = loaded.LogLevel.Errors;
  }
  return loaded;
}

/** The containers a video of ours comes in (VIDEO_EXTENSIONS: MP4, QuickTime, Matroska and WebM). */
export function videoFormats(): Mediabunny.InputFormat[] {
  const { MP4, QTFF, MATROSKA, WEBM } = mediabunny();
  return [MP4, QTFF, MATROSKA, WEBM];
}

/**
 * A mediabunny source over `read`, with guards: no read larger than `maxReadBytes`, and no cache, so
 * that every read comes here and a loop shows. mediabunny 1.61 loops for ever on a WebM that ends a few
 * bytes into an element header before the first Cluster (its `resync` makes no progress on the last 8
 * bytes of the range it scans, served from its cache): the same range read 32 times stops it, and so
 * would 10,000 different reads. The error `read` throws is passed on as it is.
 */
export function loopGuardedSource(size: number, read: (start: number, end: number) => Promise<Uint8Array>, maxReadBytes: number): Mediabunny.Source {
  const reads = new Map<string, number>();
  return new (mediabunny().CustomSource)({
    getSize: () => size,
    read: (start, end) => {
      const key = `${start}-${end}`;
      const times = (reads.get(key) ?? 0) + 1;
      reads.set(key, times);
      if (end - start > maxReadBytes || times > 32 || reads.size > 10_000) throw new Error(`read ${times} times: bytes ${key}`);
      return read(start, end);
    },
    maxCacheSize: 0,
    prefetchProfile: 'none',
    handleUnhandledError: () => undefined,
  });
}

/**
 * Runs `use` on `file` opened as a mediabunny Input of our containers, read through the loop guard
 * (no read over `maxReadBytes`); the Input and the file are closed after. Undefined when the file cannot
 * be opened or `use` throws: the callers say "nothing could be read" rather than why.
 */
export async function withVideoInput<T>(file: string, maxReadBytes: number, use: (input: Mediabunny.Input) => Promise<T | undefined>): Promise<T | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const source = loopGuardedSource(
      size,
      async (start, end) => {
        const { buffer, bytesRead } = await handle.read(Buffer.alloc(end - start), 0, end - start, start);
        return buffer.subarray(0, bytesRead);
      },
      maxReadBytes,
    );
    const input = new (mediabunny().Input)({ source, formats: videoFormats() });
    try {
      return await use(input);
    } finally {
      input.dispose();
    }
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
