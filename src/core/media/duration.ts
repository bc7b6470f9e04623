import { mediabunny } from './mediabunnyLoader';

/**
 * How long a video file really is, in seconds, from its container (the longest track's end), or
 * undefined when it cannot be read. The server's `seconds` is a claim; the file is the truth.
 */
export async function readVideoDuration(file: string): Promise<number | undefined> {
  const { Input, FilePathSource, ALL_FORMATS } = mediabunny();
  const input = new Input({ source: new FilePathSource(file, { maxCacheSize: 1024 * 1024 }), formats: ALL_FORMATS });
  try {
    const seconds = await input.computeDuration();
    return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  } finally {
    input.dispose();
  }
}
