/**
 * A copy of a video that desktop VS Code can play: the video stream copied as is, the audio re-encoded
 * to MP3 (desktop VS Code has no AAC decoder). Made with `ffmpeg` from the PATH, run without a shell;
 * no `vscode` import.
 */
import { access, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { runFfmpeg } from './ffmpeg';

/** `clip.mp4` → `clip.playable.mp4`, or `clip.playable-2.mp4` when that exists. */
export async function playableCopyPath(source: string): Promise<string> {
  const extension = path.extname(source);
  const base = source.slice(0, source.length - extension.length);
  for (let n = 1; n < 100; n++) {
    const candidate = `${base}.playable${n === 1 ? '' : `-${n}`}${extension}`;
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
  throw new OmniVideoError('filesystem', l10n.t('No free name for a playable copy of {0}.', path.basename(source)));
}

/**
 * Writes the playable copy beside `source` and resolves to its path. The copy is written to a
 * temporary name first, so a failed or cancelled run leaves nothing half-written.
 */
export async function makePlayableCopy(source: string, options: { ffmpeg: string; signal?: AbortSignal; timeoutMs?: number }): Promise<string> {
  const destination = await playableCopyPath(source);
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}.part${path.extname(destination)}`);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', source, '-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'copy', '-c:a', 'libmp3lame', '-q:a', '2', '-movflags', '+faststart', temporary];
  try {
    const name = path.basename(source);
    await runFfmpeg(options.ffmpeg, args, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 10 * 60_000,
      stderrLines: 3,
      describe: (detail) => (detail ? l10n.t('ffmpeg could not make a playable copy of {0}: {1}', name, detail) : l10n.t('ffmpeg could not make a playable copy of {0}.', name)),
    });
    await rename(temporary, destination);
    return destination;
  } finally {
    await rm(temporary, { force: true });
  }
}
