import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { modeLabel } from '../../core/jobs/jobLabels';
import type { JobStore } from '../../core/jobs/jobStore';
import { readSidecar, type Sidecar } from '../../core/jobs/sidecar';
import { galleryToHostSchema, type GalleryEntry, type GalleryLabels, type GalleryToHost, type HostToGallery } from '../../shared/galleryProtocol';
import { VIDEO_GLOB } from '../../shared/ids';
import { copyPrompt } from '../../host/copyPrompt';
import { WebviewHost } from '../../webview/webviewHost';

/** A generated video found in the workspace: the file and its sidecar. */
interface Found {
  file: vscode.Uri;
  sidecar: Sidecar;
}

const MAX_VIDEOS = 5000;

/**
 * Every video in the workspace folders that has an Omni Video sidecar, newest first. Files under
 * `files.exclude` and in node_modules are skipped; a sidecar that does not parse is not listed.
 */
export async function findGeneratedVideos(): Promise<Found[]> {
  const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
  const videos = (await Promise.all(folders.map((folder) => vscode.workspace.findFiles(new vscode.RelativePattern(folder, VIDEO_GLOB), undefined, MAX_VIDEOS))))
    .flat()
    .filter((uri) => !/[\\/]node_modules[\\/]/.test(uri.fsPath));
  const found: Found[] = [];
  for (let i = 0; i < videos.length; i += 16) {
    const batch = await Promise.all(videos.slice(i, i + 16).map(async (file) => ({ file, sidecar: await readSidecar(file.fsPath) })));
    for (const entry of batch) if (entry.sidecar) found.push(entry as Found);
  }
  return found.sort((a, b) => (Date.parse(b.sidecar.createdAt) || 0) - (Date.parse(a.sidecar.createdAt) || 0));
}

/**
 * The gallery (`omniVideo.openGallery`): the workspace's generated videos with their prompts, from
 * their sidecars; rescanned when videos or sidecars change.
 */
export class GalleryView extends WebviewHost<GalleryToHost, HostToGallery> {
  private found: Found[] = [];
  private scanning = false;
  private rescanTimer: NodeJS.Timeout | undefined;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, store: JobStore, logger: Logger) {
    super(panel, extensionUri, { name: 'the gallery', page: { script: 'gallery.js', style: 'gallery.css', title: vscode.l10n.t('Video Gallery') }, schema: galleryToHostSchema, logger });
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.{json,mp4,mov,webm}'));
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this._register(event(() => this.scheduleRescan()));
    this._register(store.onDidChange((job) => job.phase === 'saved' && this.scheduleRescan()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRescan()));
    this._register({ dispose: () => clearTimeout(this.rescanTimer) });
    this.load();
    this.firstScan = this.scan();
  }

  /** The scan a new gallery starts with. */
  readonly firstScan: Promise<void>;

  /** The files the gallery lists, in order (tests read it). */
  get files(): readonly vscode.Uri[] {
    return this.found.map((f) => f.file);
  }

  private scheduleRescan(): void {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.scan(), 400);
  }

  async scan(): Promise<void> {
    this.scanning = true;
    this.render();
    try {
      this.found = await findGeneratedVideos();
    } catch (error) {
      this.logger.error(`The gallery could not list the workspace's videos: ${String(error)}`);
    } finally {
      this.scanning = false;
      this.render();
    }
  }

  protected async onMessage(message: GalleryToHost): Promise<void> {
    switch (message.type) {
      case 'refresh':
        return this.scan();
      case 'generate':
        await vscode.commands.executeCommand('omniVideo.openPanel');
        return;
    }
    const entry = message.type === 'ready' ? undefined : this.found[message.index];
    if (!entry) return;
    switch (message.type) {
      case 'open':
        await vscode.commands.executeCommand('omniVideo.openPreview', entry.file);
        return;
      case 'copyPrompt':
        await copyPrompt(entry.sidecar.prompt);
        return;
      case 'reveal':
        await vscode.commands.executeCommand('revealInExplorer', entry.file);
        return;
    }
  }

  private render(): void {
    const webview = this.panel.webview;
    const entries = this.found.map(({ file, sidecar }): GalleryEntry => {
      const created = Date.parse(sidecar.createdAt);
      const seconds = sidecar.job.seconds ?? sidecar.request.seconds;
      const size = sidecar.job.size;
      return {
        name: file.path.slice(file.path.lastIndexOf('/') + 1),
        relative: vscode.workspace.asRelativePath(file, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
        src: webview.asWebviewUri(file).toString(),
        prompt: sidecar.prompt,
        mode: modeLabel(sidecar.mode),
        seconds: sidecar.measured?.duration
          ? vscode.l10n.t('{0} s', sidecar.measured.duration.toFixed(1))
          : typeof seconds === 'string' || typeof seconds === 'number'
            ? vscode.l10n.t('{0} s', String(seconds))
            : undefined,
        size: typeof size === 'string' ? size : undefined,
        created: Number.isFinite(created) ? new Date(created).toLocaleString(vscode.env.language) : undefined,
      };
    });
    this.postState({ type: 'state', state: { entries, scanning: this.scanning, labels: labels() } });
  }
}

function labels(): GalleryLabels {
  return {
    title: vscode.l10n.t('Video Gallery'),
    filter: vscode.l10n.t('Filter by prompt or file name'),
    filterPlaceholder: vscode.l10n.t('Filter'),
    count: vscode.l10n.t('{0} of {1} videos'),
    refresh: vscode.l10n.t('Refresh'),
    empty: vscode.l10n.t('No generated videos in this workspace yet. Each video Omni Video saves appears here with its prompt.'),
    noMatch: vscode.l10n.t('No video matches the filter.'),
    generate: vscode.l10n.t('Generate a Video'),
    open: vscode.l10n.t('Open'),
    copyPrompt: vscode.l10n.t('Copy Prompt'),
    reveal: vscode.l10n.t('Reveal in Explorer'),
    scanning: vscode.l10n.t('Looking for videos…'),
  };
}
