import { withVideoInput } from './mediabunnyLoader';
import { MAX_MOOV_BYTES } from './videoCodecs';

/**
 * How long a video file really is, in seconds, from its container (the longest track's end), or
 * undefined when it cannot be read. The server's `seconds` is a claim; the file is the truth. Read
 * through the loop guard: a cut WebM (a download stopped early) made mediabunny loop for ever, and
 * the preview asks this of every file it shows.
 */
export function readVideoDuration(file: string): Promise<number | undefined> {
  return withVideoInput(file, MAX_MOOV_BYTES, async (input) => {
    const seconds = await input.computeDuration();
    return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  });
}
