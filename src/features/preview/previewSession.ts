import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError, describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import { readSidecar } from '../../core/jobs/sidecar';
import { filmSidecarPathOf, readFilmSidecar, type FilmSidecar } from '../../core/storyboard/film';
import { readVideoDuration } from '../../core/media/duration';
import { findFfmpeg } from '../../core/media/ffmpeg';
import { readVideoCodecs } from '../../core/media/videoCodecs';
import { makePlayableCopy } from '../../core/media/playableCopy';
import type { PlaybackHost } from '../../core/media/playability';
import { recordedPathToUri } from '../../generation/mediaRefs';
import { copyPrompt } from '../../host/copyPrompt';
import { webviewToHostSchema, type CapturedFrame, type HostToWebview, type PreviewInfo, type WebviewToHost } from '../../shared/protocol';
import { WebviewHost } from '../../webview/webviewHost';
import { buildPreviewInfo } from './previewInfo';

/** What every preview needs from the extension, whichever way it was opened. */
export interface PreviewContext {
  extensionUri: vscode.Uri;
  store: JobStore;
  logger: Logger;
  /** What the webview host can play (from `vscode.env`). */
  playbackHost: PlaybackHost;
  /** Opens a video in the preview panel (a playable copy, once made). */
  show(file: vscode.Uri): Promise<unknown>;
}

/** One preview of one video: a panel of `omniVideo.openPreview` or a custom editor, the same page. */
export class PreviewSession extends WebviewHost<WebviewToHost, HostToWebview> {
  private sources: (vscode.Uri | undefined)[] = [];
  private nextCaptureId = 1;
  private readonly captures = new Map<number, { resolve: (frame: CapturedFrame) => void; reject: (error: Error) => void }>();
  private prompt: string | undefined;
  /** The sidecar of a storyboard's film: its chapters and its storyboard. */
  private film: FilmSidecar | undefined;
  private shownVersion: string | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    readonly file: vscode.Uri,
    private readonly context: PreviewContext,
    private readonly startAt?: number,
  ) {
    const name = path.basename(file.fsPath);
    super(panel, context.extensionUri, { name: `the preview of ${name}`, page: { script: 'preview.js', style: 'preview.css', title: name, live: true }, schema: webviewToHostSchema, logger: context.logger });
    this._register({
      dispose: () => {
        for (const capture of this.captures.values()) capture.reject(new OmniVideoError('cancelled', vscode.l10n.t('The preview was closed.')));
        this.captures.clear();
      },
    });
  }

  /** Loads the page and sends it what to show. */
  async open(): Promise<void> {
    this.load();
    this.postState({ type: 'show', info: await this.info() });
  }

  /** Shows the file again when it changed on disk since it was shown (a film assembled anew). */
  async refreshIfChanged(): Promise<void> {
    if ((await this.version()) !== this.shownVersion) this.postState({ type: 'show', info: await this.info() });
  }

  private version(): Promise<string> {
    return stat(this.file.fsPath).then(
      (s) => String(Math.round(s.mtimeMs)),
      () => '0', // the file is gone: the webview's error handler says so
    );
  }

  /** Resolves once the page runs (rejects after `timeoutMs`). */
  started(timeoutMs: number): Promise<void> {
    return this.whenReady(timeoutMs, () => vscode.l10n.t('The preview of {0} did not start.', path.basename(this.file.fsPath)));
  }

  /** What the webview was last sent (tests read the preview's state through this). */
  get shown(): PreviewInfo | undefined {
    const latest = this.latestState;
    return latest?.type === 'show' ? latest.info : undefined;
  }

  /** Asks the webview for the video's last frame (a PNG data URL it drew on a canvas). */
  captureLastFrame(timeoutMs = 30_000): Promise<CapturedFrame> {
    const requestId = this.nextCaptureId++;
    return new Promise<CapturedFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.captures.delete(requestId);
        reject(new OmniVideoError('timeout', vscode.l10n.t('The preview did not capture the last frame in time.')));
      }, timeoutMs);
      this.captures.set(requestId, {
        resolve: (frame) => (clearTimeout(timer), resolve(frame)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      void this.send({ type: 'captureLastFrame', requestId });
    });
  }

  private async info(): Promise<PreviewInfo> {
    const fsPath = this.file.fsPath;
    const version = (this.shownVersion = await this.version());
    const job = this.context.store.list().find((j) => j.file === fsPath);
    const decision = buildPreviewInfo({
      file: fsPath,
      videoSrc: this.panel.webview.asWebviewUri(this.file).with({ query: `version=${version}` }).toString(),
      job,
      sidecar: await readSidecar(fsPath),
      codecs: await readVideoCodecs(fsPath),
      host: this.context.playbackHost,
      ffmpegAvailable: (await findFfmpeg()) !== undefined,
      openTarget,
      language: vscode.env.language,
      startAt: this.startAt,
      film: (this.film = await readFilmSidecar(filmSidecarPathOf(fsPath))),
      duration: await readVideoDuration(fsPath),
    });
    this.sources = decision.targets;
    this.prompt = decision.info.prompt;
    if (decision.playbackReasons.length) this.logger.info(`Preview ${path.basename(fsPath)}: ${decision.playbackReasons.join(' ')}`);
    return decision.info;
  }

  protected async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'frameCaptured':
      case 'frameCaptureFailed': {
        const capture = this.captures.get(message.requestId);
        this.captures.delete(message.requestId);
        if (message.type === 'frameCaptured') capture?.resolve(message);
        else capture?.reject(new OmniVideoError('filesystem', vscode.l10n.t('The preview could not capture the last frame: {0}', message.reason)));
        return;
      }
      case 'openSource':
        return openSource(this.sources[message.index]);
      case 'copyPrompt':
        if (this.prompt) await copyPrompt(this.prompt);
        return;
      case 'openSystemPlayer':
        await vscode.env.openExternal(this.file);
        return;
      case 'makePlayableCopy':
        return this.makePlayableCopy();
      case 'playback':
        this.logger.debug(`Preview ${path.basename(this.file.fsPath)}: ${message.state}${message.detail ? ` (${message.detail})` : ''}`);
        if (message.state === 'error' || message.state === 'noAudio') this.offerSystemPlayer();
        return;
      case 'regenerateShot': {
        const shot = this.film?.shots[message.chapter];
        if (shot && this.film) await vscode.commands.executeCommand('omniVideo.regenerateShot', vscode.Uri.file(path.resolve(path.dirname(filmSidecarPathOf(this.file.fsPath)), this.film.storyboard)), shot.index);
        return;
      }
      case 'ready':
      case 'failureAction': // only a failed job's preview has one
        return;
      default:
        // The actions that are commands of their own, run on this video.
        await vscode.commands.executeCommand(ACTION_COMMANDS[message.type], this.file);
    }
  }

  /** The webview's own playback is the final word: when it fails, offer the system player where it can open the file. */
  private offerSystemPlayer(): void {
    const info = this.shown;
    const host = this.context.playbackHost;
    if (!info || info.actions.openSystemPlayer || host.uiKind !== 'desktop' || host.remoteName) return;
    this.postState({ type: 'show', info: { ...info, actions: { ...info.actions, openSystemPlayer: true } } });
  }

  private async makePlayableCopy(): Promise<void> {
    const ffmpeg = await findFfmpeg();
    if (!ffmpeg) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: ffmpeg was not found on the PATH.'));
      return;
    }
    try {
      const copy = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Omni Video: making a playable copy of {0}…', path.basename(this.file.fsPath)), cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return makePlayableCopy(this.file.fsPath, { ffmpeg, signal: abort.signal });
        },
      );
      this.logger.info(`Playable copy written: ${copy}`);
      await this.context.show(vscode.Uri.file(copy));
    } catch (error) {
      if (!(error instanceof OmniVideoError && error.kind === 'cancelled')) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: {0}', describeError(error)));
      }
    }
  }
}

/** The preview's buttons that run a command with the video as its argument. */
const ACTION_COMMANDS = {
  continueFromLastFrame: 'omniVideo.continueFromLastFrame',
  useAsReference: 'omniVideo.useAsReference',
  reveal: 'revealInExplorer',
  regenerate: 'omniVideo.regenerateJob',
  insertIntoDocument: 'omniVideo.insertIntoDocument',
} as const;

/** Opens what a video was made from: a workspace file in the editor, a URL in the browser. */
export async function openSource(target: vscode.Uri | undefined): Promise<void> {
  if (target?.scheme === 'file') await vscode.commands.executeCommand('vscode.open', target);
  else if (target) await vscode.env.openExternal(target);
}

/** What a recorded media path or URL opens: a workspace file that still exists, or an http(s) URL. */
export function openTarget(recorded: string): vscode.Uri | undefined {
  if (/^https?:\/\//i.test(recorded)) return vscode.Uri.parse(recorded, true);
  const file = recordedPathToUri(recorded);
  return file && existsSync(file.fsPath) ? file : undefined;
}
