import { open } from 'node:fs/promises';
import { loopGuardedSource, mediabunny, videoFormats } from './mediabunnyLoader';
import { MAX_MOOV_BYTES } from './videoCodecs';

/**
 * How long a video file really is, in seconds, from its container (the longest track's end), or
 * undefined when it cannot be read. The server's `seconds` is a claim; the file is the truth. Read
 * through the loop guard: a cut WebM (a download stopped early) made mediabunny loop for ever, and
 * the preview asks this of every file it shows.
 */
export async function readVideoDuration(file: string): Promise<number | undefined> {
  const { Input } = mediabunny();
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
      MAX_MOOV_BYTES,
    );
    const input = new Input({ source, formats: videoFormats() });
    try {
      const seconds = await input.computeDuration();
      return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
    } finally {
      input.dispose();
    }
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
