import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ASPECT_RATIOS, SECONDS, type AspectRatio, type Seconds } from '../../core/api/schemas';
import { OmniVideoError, describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import { readSidecar } from '../../core/jobs/sidecar';
import type { GenerationFlow, ScriptedResult } from '../../generation/generationFlow';
import { saveLastFrame, type FrameSource } from '../../generation/lastFrameCapture';
import { videoFrom } from '../../generation/videoArgument';
import { pickMediaFiles } from '../../host/mediaPicker';
import { showError } from '../../host/showError';
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/ids';

/** The generation panel, opened with media in it. */
export interface PanelOpener {
  open(seed: { video?: vscode.Uri; images?: vscode.Uri[] }): void;
}

const MEDIA_KEYS = ['firstImage', 'lastImage', 'images', 'video'];

/** A video from the argument, or one the user picks; undefined when cancelled. */
async function chooseVideo(store: JobStore, arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  if (arg !== undefined && arg !== null) {
    const video = videoFrom(store, arg);
    if (!video) throw new OmniVideoError('badRequest', vscode.l10n.t('Give the video as a Uri, a path or a job.'));
    return video;
  }
  const picked = await pickMediaFiles('video', { many: false, title });
  return picked?.[0];
}

/**
 * Omni Video: Continue from Last Frame — saves the video's last frame as a PNG beside it and starts
 * image-to-video from it, so clips chain into a longer story. With an options object whose `prompt`
 * is set nothing is asked; otherwise the prompt (the clip's own, to edit), duration and aspect ratio
 * (the clip's, preselected) are asked. Resolves to the new job id (undefined when cancelled).
 */
export async function continueFromLastFrame(
  deps: { frames: FrameSource; flow: GenerationFlow; store: JobStore; logger: Logger },
  arg?: unknown,
  options?: unknown,
): Promise<ScriptedResult | undefined> {
  const scripted = options !== undefined && options !== null;
  try {
    if (scripted && (typeof options !== 'object' || Array.isArray(options) || MEDIA_KEYS.some((k) => k in options))) {
      throw new OmniVideoError('badRequest', vscode.l10n.t('omniVideo.continueFromLastFrame takes the video and an options object without media: the last frame is the first frame.'));
    }
    const video = await chooseVideo(deps.store, arg, vscode.l10n.t('Choose the video to continue'));
    if (!video) return undefined;
    if (video.scheme !== 'file' || !existsSync(video.fsPath)) {
      throw new OmniVideoError('badRequest', vscode.l10n.t('{0} does not exist.', video.fsPath));
    }
    const frame = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Omni Video: saving the last frame of {0}…', path.basename(video.fsPath)) },
      () => saveLastFrame(deps.frames, video, deps.logger),
    );
    if (scripted && typeof (options as { prompt?: unknown }).prompt === 'string') {
      return await deps.flow.runScripted({ ...(options as object), firstImage: frame });
    }
    const previous = await madeWith(deps.store, video);
    return await deps.flow.runInteractive('image', { firstImage: frame }, { initialPrompt: previous.prompt, preferred: previous });
  } catch (error) {
    if (scripted) throw error instanceof OmniVideoError ? new Error(describeError(error)) : error;
    showError(error);
    return undefined;
  }
}

/** The prompt, duration and aspect ratio a video was made with (its job, else its sidecar). */
async function madeWith(store: JobStore, video: vscode.Uri): Promise<{ prompt?: string; seconds?: Seconds; aspectRatio?: AspectRatio }> {
  const job = store.list().find((j) => j.file === video.fsPath);
  const record = job ?? (await readSidecar(video.fsPath));
  const request = record?.request ?? {};
  const seconds = SECONDS.find((s) => s === request.seconds);
  const aspectRatio = ASPECT_RATIOS.find((a) => a === request.aspect_ratio);
  return { prompt: record?.prompt, seconds, aspectRatio };
}

/**
 * Use as Reference — opens the generation panel with the file in a slot: a clip as the video to edit
 * or extend, an image as a reference image.
 */
export async function useAsReference(panel: PanelOpener, store: JobStore, arg?: unknown): Promise<void> {
  try {
    const file = await chooseVideo(store, arg, vscode.l10n.t('Choose the clip to use'));
    if (!file) return;
    const extension = path.extname(file.fsPath).slice(1).toLowerCase();
    if (VIDEO_EXTENSIONS.includes(extension)) panel.open({ video: file });
    else if (IMAGE_EXTENSIONS.includes(extension)) panel.open({ images: [file] });
    else throw new OmniVideoError('badRequest', vscode.l10n.t('{0} is neither a video nor an image.', path.basename(file.fsPath)));
  } catch (error) {
    showError(error);
  }
}
