/**
 * The last frame of a video as a PNG beside it, so clips chain: image-to-video starts from where the
 * previous clip ended. The frame is captured by the preview webview (a canvas) and checked here, or
 * extracted with `ffmpeg` where the webview cannot capture it. No `vscode` import.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { sniffFile, sniffMedia } from './mediaSniffing';
import { reserveOutputPath } from '../common/files';
import { runFfmpeg } from './ffmpeg';

const PNG_DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/;

/** `clip.mp4` → `clip-last-frame` (reserveOutputPath adds `.png`, and `-2`… when taken). */
export function lastFrameBaseName(videoPath: string): string {
  return `${path.basename(videoPath, path.extname(videoPath))}-last-frame`;
}

/** Decodes a `data:image/png;base64,…` URL from the webview, which is untrusted: it must be a whole PNG. */
export function decodePngDataUrl(dataUrl: string): { bytes: Buffer; width: number; height: number } {
  const match = PNG_DATA_URL.exec(dataUrl);
  if (!match) throw new OmniVideoError('invalidResponse', l10n.t('The captured frame is not a PNG image.'));
  const bytes = Buffer.from(match[1], 'base64');
  const sniffed = sniffMedia(bytes, bytes.length);
  if (sniffed.kind !== 'image' || sniffed.format !== 'png' || !sniffed.width || !sniffed.height) {
    throw new OmniVideoError('invalidResponse', l10n.t('The captured frame is not a complete PNG image.'));
  }
  return { bytes, width: sniffed.width, height: sniffed.height };
}

/** Writes a captured PNG beside the video (never over an existing file); resolves to its path. */
export async function saveLastFramePng(videoPath: string, png: Buffer): Promise<string> {
  const target = await reserveLastFramePath(videoPath);
  try {
    await writeFile(target, png);
  } catch (error) {
    await rm(target, { force: true });
    throw filesystemError(videoPath, error);
  }
  return target;
}

/**
 * Extracts the last frame with ffmpeg (run without a shell) into a PNG beside the video. `-sseof`
 * seeks near the end and `-update 1` keeps overwriting one image, so the last decoded frame remains.
 */
export async function extractLastFrameWithFfmpeg(videoPath: string, options: { ffmpeg: string; signal?: AbortSignal; timeoutMs?: number }): Promise<string> {
  const target = await reserveLastFramePath(videoPath);
  try {
    const matrix = colorMatrixFor(await ffmpegStreamInfo(options.ffmpeg, videoPath, options.signal));
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-sseof', '-1', '-i', videoPath, '-map', '0:v:0'];
    if (matrix) args.push('-vf', `scale=in_color_matrix=${matrix}`);
    args.push('-update', '1', '-f', 'image2', '-c:v', 'png', target);
    const name = path.basename(videoPath);
    await runFfmpeg(options.ffmpeg, args, {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 60_000,
      describe: (detail) => (detail ? l10n.t('ffmpeg could not read the last frame of {0}: {1}', name, detail) : l10n.t('ffmpeg could not read the last frame of {0}.', name)),
    });
    const { result } = await sniffFile(target);
    if (result.kind !== 'image' || result.format !== 'png') {
      throw new OmniVideoError('filesystem', l10n.t('ffmpeg wrote no usable frame for {0}.', path.basename(videoPath)));
    }
    return target;
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

/** What `ffmpeg -i` says about the file's first video stream (the line after "Video:"). */
function ffmpegStreamInfo(ffmpeg: string, videoPath: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    // Without an output ffmpeg exits with an error after printing the streams: only stderr matters.
    execFile(ffmpeg, ['-hide_banner', '-nostdin', '-i', videoPath], { signal, timeout: 20_000, windowsHide: true, maxBuffer: 1024 * 1024 }, (_error, _stdout, stderr) => {
      resolve(/Video: (.*)/.exec(String(stderr))?.[1] ?? '');
    });
  });
}

/**
 * The colour matrix to turn the video's YUV into RGB as browsers do: the stream's own when tagged;
 * untagged, BT.709 for HD (720 lines and up) and BT.601 below. ffmpeg alone would use BT.601 for all,
 * and the PNG would not match what the preview showed (red turns orange-red).
 */
export function colorMatrixFor(streamInfo: string): 'bt709' | 'bt601' | undefined {
  const tags = /\(([^)]*)\)/.exec(streamInfo.replace(/^[^,]*,\s*/, ''))?.[1] ?? '';
  if (/\b(bt709|bt470bg|smpte170m|bt2020nc|bt2020c|smpte240m|fcc|ycgco)\b/.test(tags)) return undefined;
  const size = /,\s*(\d{2,5})x(\d{2,5})\b/.exec(streamInfo);
  if (!size) return undefined;
  return Number(size[2]) >= 720 ? 'bt709' : 'bt601';
}

/** Creates `<clip>-last-frame.png` beside the video (or `-2`… when taken) and returns its path. */
function reserveLastFramePath(videoPath: string): Promise<string> {
  return reserveOutputPath(path.dirname(videoPath), lastFrameBaseName(videoPath), '.png').catch((error: unknown) => {
    throw filesystemError(videoPath, error);
  });
}

function filesystemError(videoPath: string, error: unknown): OmniVideoError {
  return new OmniVideoError('filesystem', l10n.t('Could not save the last frame beside {0}: {1}', path.basename(videoPath), (error as Error).message), { cause: error });
}
