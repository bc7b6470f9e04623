import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../core/common/errors';
import type { Logger } from '../core/common/logger';
import { findFfmpeg } from '../core/media/ffmpeg';
import { decodePngDataUrl, extractLastFrameWithFfmpeg, saveLastFramePng } from '../core/media/lastFrame';
import type { CapturedFrame } from '../shared/protocol';

/** Where a video's last frame is captured: a preview that plays it. */
export interface FrameSource {
  captureLastFrame(file: vscode.Uri): Promise<CapturedFrame>;
}

/**
 * The video's last frame as a PNG beside it: captured by the preview's webview (which plays the file
 * the user sees), or by ffmpeg where the webview cannot (a codec it cannot decode, a capture refused).
 */
export async function saveLastFrame(frames: FrameSource, video: vscode.Uri, logger: Logger): Promise<vscode.Uri> {
  let captured: { png: ReturnType<typeof decodePngDataUrl>; time: number; duration: number } | undefined;
  let captureError: unknown;
  try {
    const frame = await frames.captureLastFrame(video);
    captured = { png: decodePngDataUrl(frame.dataUrl), time: frame.time, duration: frame.duration };
  } catch (error) {
    captureError = error;
  }
  if (captured) {
    const saved = await saveLastFramePng(video.fsPath, captured.png.bytes);
    logger.info(`Last frame of ${path.basename(video.fsPath)} (${captured.png.width}x${captured.png.height} at ${captured.time.toFixed(3)} of ${captured.duration.toFixed(3)} s) saved as ${saved}`);
    return vscode.Uri.file(saved);
  }
  const ffmpeg = await findFfmpeg();
  if (!ffmpeg) throw captureError;
  logger.warn(`The preview could not capture the last frame of ${path.basename(video.fsPath)} (${describeError(captureError)}); using ffmpeg.`);
  const saved = await extractLastFrameWithFfmpeg(video.fsPath, { ffmpeg });
  logger.info(`Last frame of ${path.basename(video.fsPath)} extracted by ffmpeg as ${saved}`);
  return vscode.Uri.file(saved);
}
