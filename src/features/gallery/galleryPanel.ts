import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/jobStore';
import type { Logger } from '../../core/common/logger';
import { readSidecar, type Sidecar } from '../../core/jobs/sidecar';
import { GALLERY_VIEW_TYPE, galleryToHostSchema, type GalleryEntry, type GalleryLabels, type HostToGallery } from '../../shared/galleryProtocol';
import { copyPrompt } from '../../host/copyPrompt';
import { modeLabel } from '../../host/modeLabels';
import { loadUntilReady, webviewHtml, webviewOptions, workspaceRoots } from '../../webview/webviewHtml';

/** A generated video found in the workspace: the file and its sidecar. */
interface Found {
  file: vscode.Uri;
  sidecar: Sidecar;
}

const VIDEO_GLOB = '**/*.{mp4,mov,webm}';
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
 * their sidecars. One panel, restored after a reload, rescanned when videos or sidecars change.
 */
export class GalleryPanel implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private found: Found[] = [];
  private scanning = false;
  private ready = false;
  private rescanTimer: NodeJS.Timeout | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: JobStore,
    private readonly logger: Logger,
  ) {}

  /** Opens (or reveals) the gallery; resolves once it has been scanned. */
  async open(): Promise<vscode.WebviewPanel> {
    if (this.panel) {
      this.panel.reveal();
    } else {
      this.attach(vscode.window.createWebviewPanel(GALLERY_VIEW_TYPE, vscode.l10n.t('Video Gallery'), vscode.ViewColumn.Active, webviewOptions(this.extensionUri, workspaceRoots())));
    }
    const panel = this.panel!;
    await this.scan();
    return panel;
  }

  /** The files the gallery lists, in order (tests read it). */
  get files(): readonly vscode.Uri[] {
    return this.found.map((f) => f.file);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri, workspaceRoots());
    this.attach(panel);
    await this.scan();
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon-video.svg');
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{json,mp4,mov,webm}');
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      loadUntilReady(
        () => (panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'gallery.js', style: 'gallery.css', title: vscode.l10n.t('Video Gallery') })),
        () => this.ready,
        () => panel.visible,
        (attempt) => this.logger.warn(`The gallery did not start; loading it again (${attempt}).`),
      ),
      watcher,
      watcher.onDidCreate(() => this.scheduleRescan()),
      watcher.onDidChange(() => this.scheduleRescan()),
      watcher.onDidDelete(() => this.scheduleRescan()),
      this.store.onDidChange((job) => {
        if (job.phase === 'saved') this.scheduleRescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRescan()),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        clearTimeout(this.rescanTimer);
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      }),
    );
  }

  private scheduleRescan(): void {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => void this.scan(), 400);
  }

  private async scan(): Promise<void> {
    if (!this.panel) return;
    this.scanning = true;
    this.postState();
    try {
      this.found = await findGeneratedVideos();
    } catch (error) {
      this.logger.error(`The gallery could not list the workspace's videos: ${String(error)}`);
    } finally {
      this.scanning = false;
      this.postState();
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = galleryToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn('Ignoring a malformed message from the gallery webview.');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postState();
        return;
      case 'refresh':
        return this.scan();
      case 'generate':
        await vscode.commands.executeCommand('omniVideo.openPanel');
        return;
    }
    const entry = this.found[message.index];
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

  private postState(): void {
    if (!this.panel || !this.ready) return;
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
        seconds: typeof seconds === 'string' || typeof seconds === 'number' ? vscode.l10n.t('{0} s', String(seconds)) : undefined,
        size: typeof size === 'string' ? size : undefined,
        created: Number.isFinite(created) ? new Date(created).toLocaleString(vscode.env.language) : undefined,
      };
    });
    const message: HostToGallery = { type: 'state', state: { entries, scanning: this.scanning, labels: labels() } };
    void webview.postMessage(message);
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
