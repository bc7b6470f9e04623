import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError, describeError } from '../../core/common/errors';
import type { JobStore } from '../../core/jobs/jobStore';
import type { Logger } from '../../core/common/logger';
import { readMp4Codecs } from '../../core/media/mp4Codecs';
import { findOnPath, makePlayableCopy } from '../../core/media/playableCopy';
import { decidePlayability, type PlaybackHost } from '../../core/media/playability';
import { readSidecar } from '../../core/jobs/sidecar';
import { recordedPathToUri } from '../../generation/mediaRefs';
import {
  PREVIEW_VIEW_TYPE,
  previewStateSchema,
  webviewToHostSchema,
  type HostToWebview,
  type PreviewInfo,
  type PreviewLabels,
  type PreviewSource,
  type WebviewToHost,
} from '../../shared/protocol';
import { copyPrompt } from '../../host/copyPrompt';
import { modeLabel } from '../../host/modeLabels';
import { loadUntilReady, webviewHtml, webviewOptions } from '../../webview/webviewHtml';
import { localizePlaybackNotes } from './playbackNotes';

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

/**
 * Plays videos in webviews: the preview panel of `omniVideo.openPreview` (one per file, restored after
 * a reload by the serializer) and the custom editor `omniVideo.videoPreview` ("Open With…", restored by
 * VS Code). Both are the same PreviewSession. The video is loaded with `asWebviewUri`, never inlined.
 */
export class PreviewPanels implements vscode.WebviewPanelSerializer, vscode.CustomReadonlyEditorProvider, vscode.Disposable {
  private readonly panels = new Map<string, PreviewSession>();
  private readonly editors = new Set<PreviewSession>();
  private readonly context: PreviewContext;

  constructor(extensionUri: vscode.Uri, store: JobStore, logger: Logger, playbackHost: PlaybackHost) {
    this.context = { extensionUri, store, logger, playbackHost, show: (file) => this.show(file) };
  }

  /** Opens (or reveals) the preview of a video file. */
  async show(file: vscode.Uri, options: { preserveFocus?: boolean } = {}): Promise<vscode.WebviewPanel> {
    const key = file.fsPath;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, options.preserveFocus);
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      path.basename(file.fsPath),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: options.preserveFocus },
      this.options(file),
    );
    await this.attach(panel, file);
    return panel;
  }

  /** Panels of a given file, for tests and for commands that act on "the active preview". */
  get activeFile(): vscode.Uri | undefined {
    for (const session of this.panels.values()) if (session.panel.active) return session.file;
    return undefined;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = previewStateSchema.safeParse(state);
    if (!parsed.success) {
      // The saved state can be missing (microsoft/vscode#120157): nothing to restore.
      panel.dispose();
      return;
    }
    const file = vscode.Uri.file(parsed.data.file);
    // Set the options again: the saved ones may point at an old extension path.
    panel.webview.options = this.options(file);
    await this.attach(panel, file, parsed.data.currentTime);
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = this.options(document.uri);
    const session = new PreviewSession(panel, document.uri, this.context);
    this.editors.add(session);
    panel.onDidDispose(() => {
      this.editors.delete(session);
      session.dispose();
    });
    await session.load();
  }

  /**
   * A running preview of `file`: a visible panel or custom editor of it, else a hidden one brought to
   * the front (a hidden webview does not run), else a new panel; focus stays where it is.
   */
  async readySession(file: vscode.Uri): Promise<PreviewSession> {
    const open = this.sessions.filter((s) => s.file.fsPath === file.fsPath);
    let session: PreviewSession | undefined = open.find((s) => s.panel.visible) ?? open[0];
    if (!session) {
      await this.show(file, { preserveFocus: true });
      session = this.panels.get(file.fsPath);
    } else if (!session.panel.visible) {
      session.panel.reveal(undefined, true);
    }
    if (!session) throw new OmniVideoError('filesystem', vscode.l10n.t('Could not open a preview of {0}.', path.basename(file.fsPath)));
    await session.whenReady(20_000);
    return session;
  }

  /** Every open preview (panels and custom editors), e.g. to read what they show in tests. */
  get sessions(): readonly PreviewSession[] {
    return [...this.panels.values(), ...this.editors];
  }

  dispose(): void {
    for (const session of this.sessions) session.panel.dispose();
    this.panels.clear();
    this.editors.clear();
  }

  /** A preview may load the video's own folder (and the extension's webview files), nothing else. */
  private options(file: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return webviewOptions(this.context.extensionUri, [vscode.Uri.file(path.dirname(file.fsPath))]);
  }

  private async attach(panel: vscode.WebviewPanel, file: vscode.Uri, startAt?: number): Promise<void> {
    const session = new PreviewSession(panel, file, this.context, startAt);
    this.panels.set(file.fsPath, session);
    panel.onDidDispose(() => {
      if (this.panels.get(file.fsPath) === session) this.panels.delete(file.fsPath);
      session.dispose();
    });
    await session.load();
  }
}

/** ffmpeg on the PATH, looked up once per session of the extension host. */
let ffmpegLookup: Promise<string | undefined> | undefined;
const findFfmpeg = () => (ffmpegLookup ??= findOnPath('ffmpeg'));

type ShowMessage = Extract<HostToWebview, { type: 'show' }>;

/** A frame the webview captured, as it reported it. */
export type CapturedFrame = Extract<WebviewToHost, { type: 'frameCaptured' }>;

export class PreviewSession {
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private sources: (vscode.Uri | undefined)[] = [];
  private nextCaptureId = 1;
  private readonly captures = new Map<number, { resolve: (frame: CapturedFrame) => void; reject: (error: Error) => void }>();
  /** The last message, sent again whenever the webview (re)loads: a hidden panel is rebuilt when shown. */
  private latest: ShowMessage | undefined;
  private prompt: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly extensionUri: vscode.Uri;
  private readonly store: JobStore;
  private readonly logger: Logger;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly file: vscode.Uri,
    private readonly context: PreviewContext,
    private readonly startAt?: number,
  ) {
    ({ extensionUri: this.extensionUri, store: this.store, logger: this.logger } = context);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon-video.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      // A hidden webview's page is gone; it says ready again when shown (and gets the latest content).
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the webview has said ready (rejects after `timeoutMs`). */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new OmniVideoError('timeout', vscode.l10n.t('The preview of {0} did not start.', path.basename(this.file.fsPath)))), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
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
      void this.panel.webview.postMessage({ type: 'captureLastFrame', requestId } satisfies HostToWebview);
    });
  }

  /** What the webview was last sent (tests read the preview's state through this). */
  get shown(): PreviewInfo | undefined {
    return this.latest?.info;
  }

  async load(): Promise<void> {
    const name = path.basename(this.file.fsPath);
    this.disposables.push(
      loadUntilReady(
        () => this.setHtml(),
        () => this.ready,
        () => this.panel.visible,
        (attempt) => this.logger.warn(`The preview of ${name} did not start; loading it again (${attempt}).`),
      ),
    );
    this.post({ type: 'show', info: await this.info() });
  }

  private setHtml(): void {
    this.panel.webview.html = webviewHtml(this.panel.webview, this.extensionUri, { script: 'preview.js', style: 'preview.css', title: path.basename(this.file.fsPath), live: true });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const capture of this.captures.values()) capture.reject(new OmniVideoError('cancelled', vscode.l10n.t('The preview was closed.')));
    this.captures.clear();
  }

  private async info(): Promise<PreviewInfo> {
    const fsPath = this.file.fsPath;
    const job = this.store.list().find((j) => j.file === fsPath);
    const sidecar = await readSidecar(fsPath);
    let version = '0';
    try {
      version = String(Math.round((await stat(fsPath)).mtimeMs));
    } catch {
      // The file is gone: the webview's error handler says so.
    }
    const src = this.panel.webview.asWebviewUri(this.file).with({ query: `version=${version}` });
    const serverJob = sidecar?.job ?? job?.serverJob ?? {};
    const request = sidecar?.request ?? job?.request ?? {};
    const returned = job?.seconds ?? stringField(serverJob, 'seconds');
    const requested = stringField(request, 'seconds');
    const sources = madeFrom(request);
    this.sources = sources.map((s) => s.target);
    const mode = job?.mode ?? sidecar?.mode;
    const seconds = durationText(returned, requested);
    const size = job?.size ?? stringField(serverJob, 'size');
    const createdAt = job?.createdAt ?? (sidecar ? Date.parse(sidecar.createdAt) : undefined);
    this.prompt = job?.prompt ?? sidecar?.prompt;
    const host = this.context.playbackHost;
    const codecs = await readMp4Codecs(fsPath);
    const playability = decidePlayability(codecs, host);
    if (playability.notes.length) this.logger.info(`Preview ${path.basename(fsPath)}: ${playability.reasons.join(' ')}`);
    return {
      file: fsPath,
      fileName: path.basename(fsPath),
      videoSrc: src.toString(),
      prompt: this.prompt,
      id: job?.id ?? sidecar?.id,
      mode: modeLabel(mode),
      parameters: parameters(request),
      sources: sources.map((s) => s.source),
      seconds,
      size,
      createdAt: createdAt && Number.isFinite(createdAt) ? new Date(createdAt).toLocaleString(vscode.env.language) : undefined,
      hasSidecar: sidecar !== undefined,
      playbackNotes: localizePlaybackNotes(playability, host),
      expectAudio: codecs.ok && codecs.audio.length > 0 && playability.audio === 'playable',
      actions: {
        regenerate: this.prompt !== undefined,
        insertIntoDocument: true,
        openSystemPlayer: playability.offerSystemPlayer,
        makePlayableCopy: playability.offerPlayableCopy && (await findFfmpeg()) !== undefined,
        // The webview captures the frame where it can decode the video; ffmpeg where it cannot.
        continueFromLastFrame: playability.video !== 'unplayable' || (await findFfmpeg()) !== undefined,
        useAsReference: true,
      },
      labels: labels(),
      startAt: this.startAt,
    };
  }

  private post(message: ShowMessage): void {
    this.latest = message;
    if (this.ready) void this.panel.webview.postMessage(message); // otherwise sent when it says ready
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = webviewToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn('Ignoring a malformed message from the preview webview.');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.latest) void this.panel.webview.postMessage(this.latest);
        for (const waiter of this.readyWaiters.splice(0)) waiter();
        return;
      case 'frameCaptured':
      case 'frameCaptureFailed': {
        const capture = this.captures.get(message.requestId);
        this.captures.delete(message.requestId);
        if (message.type === 'frameCaptured') capture?.resolve(message);
        else capture?.reject(new OmniVideoError('filesystem', vscode.l10n.t('The preview could not capture the last frame: {0}', message.reason)));
        return;
      }
      case 'openSource': {
        const target = this.sources[message.index];
        if (target?.scheme === 'file') await vscode.commands.executeCommand('vscode.open', target);
        else if (target) await vscode.env.openExternal(target);
        return;
      }
      case 'continueFromLastFrame':
        await vscode.commands.executeCommand('omniVideo.continueFromLastFrame', this.file);
        return;
      case 'useAsReference':
        await vscode.commands.executeCommand('omniVideo.useAsReference', this.file);
        return;
      case 'reveal':
        await vscode.commands.executeCommand('revealInExplorer', this.file);
        return;
      case 'copyPrompt':
        if (this.prompt) await copyPrompt(this.prompt);
        return;
      case 'regenerate':
        await vscode.commands.executeCommand('omniVideo.regenerateJob', this.file);
        return;
      case 'insertIntoDocument':
        await vscode.commands.executeCommand('omniVideo.insertIntoDocument', this.file);
        return;
      case 'openSystemPlayer':
        await vscode.env.openExternal(this.file);
        return;
      case 'makePlayableCopy':
        await this.makePlayableCopy();
        return;
      case 'playback':
        this.logger.debug(`Preview ${path.basename(this.file.fsPath)}: ${message.state}${message.detail ? ` (${message.detail})` : ''}`);
        if (message.state === 'error' || message.state === 'noAudio') this.offerSystemPlayer();
        return;
    }
  }

  /** The webview's own playback is the final word: when it fails, offer the system player where it can open the file. */
  private offerSystemPlayer(): void {
    const info = this.latest?.info;
    const host = this.context.playbackHost;
    if (!info || info.actions.openSystemPlayer || host.uiKind !== 'desktop' || host.remoteName) return;
    this.post({ type: 'show', info: { ...info, actions: { ...info.actions, openSystemPlayer: true } } });
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

/** The request's parameters beyond prompt and duration, as the preview lists them. */
function parameters(request: Record<string, unknown>): { label: string; value: string }[] {
  const rows: [string, string | undefined][] = [
    [vscode.l10n.t('Aspect ratio'), stringField(request, 'aspect_ratio')],
    [vscode.l10n.t('Resolution'), stringField(request, 'resolution')],
    [vscode.l10n.t('Frames per second'), stringField(request, 'fps')],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined).map(([label, value]) => ({ label, value }));
}

/**
 * The media a request was made from, as recorded (workspace paths or URLs; data URIs are not kept),
 * with what each opens: a workspace file that still exists, or an http(s) URL.
 */
function madeFrom(request: Record<string, unknown>): { source: PreviewSource; target?: vscode.Uri }[] {
  const entries: [string, unknown][] = [
    [vscode.l10n.t('First frame'), request.first_image_url],
    [vscode.l10n.t('Last frame'), request.last_image_url],
    ...(Array.isArray(request.images) ? request.images : []).map((image, i): [string, unknown] => [vscode.l10n.t('Reference {0}', i + 1), image]),
    [vscode.l10n.t('Clip'), request.video ?? request.video_url],
  ];
  return entries
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
    .slice(0, 16)
    .map(([role, recorded]) => {
      if (/^data:/i.test(recorded)) return { source: { role, text: vscode.l10n.t('inline data (not kept)'), openable: false } };
      let target: vscode.Uri | undefined;
      if (/^https?:\/\//i.test(recorded)) target = vscode.Uri.parse(recorded, true);
      else {
        const file = recordedPathToUri(recorded);
        target = file && existsSync(file.fsPath) ? file : undefined;
      }
      return { source: { role, text: recorded, openable: target !== undefined }, target };
    });
}

/** The provider may return another length than asked (8 → 5): say both when they differ. */
function durationText(returned: string | undefined, requested: string | undefined): string | undefined {
  if (!returned) return undefined;
  const text = `${returned} ${vscode.l10n.t('s')}`;
  return requested && requested !== returned ? `${text} (${vscode.l10n.t('{0} s requested', requested)})` : text;
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function labels(): PreviewLabels {
  return {
    prompt: vscode.l10n.t('Prompt'),
    id: vscode.l10n.t('Job id'),
    duration: vscode.l10n.t('Duration'),
    size: vscode.l10n.t('Size'),
    created: vscode.l10n.t('Created'),
    reveal: vscode.l10n.t('Reveal in Explorer'),
    copyPrompt: vscode.l10n.t('Copy Prompt'),
    noMetadata: vscode.l10n.t('This video has no Omni Video sidecar, so its prompt and parameters are unknown.'),
    playbackError: vscode.l10n.t('This video cannot be played here.'),
    unmute: vscode.l10n.t('Playing muted: browsers only start playback with sound after a click. Use the volume control to unmute.'),
    regenerate: vscode.l10n.t('Regenerate'),
    insertIntoDocument: vscode.l10n.t('Insert into Document'),
    openSystemPlayer: vscode.l10n.t('Open in System Player'),
    makePlayableCopy: vscode.l10n.t('Make a Playable Copy'),
    noAudioDecoded: vscode.l10n.t('The audio track does not play here, so this video plays without sound.'),
    mode: vscode.l10n.t('Mode'),
    madeFrom: vscode.l10n.t('Made from'),
    continueFromLastFrame: vscode.l10n.t('Continue from Last Frame'),
    useAsReference: vscode.l10n.t('Use as Reference'),
  };
}
