import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { modeLabel } from '../../core/jobs/jobLabels';
import type { JobStore } from '../../core/jobs/jobStore';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { sidecarPathFor } from '../../core/jobs/outputNaming';
import { readSidecarCached, type Sidecar, type SidecarCache } from '../../core/jobs/sidecar';
import { galleryToHostSchema, type GalleryEntry, type GalleryLabels, type GalleryToHost, type HostToGallery } from '../../shared/galleryProtocol';
import { VIDEO_EXTENSIONS, VIDEO_GLOB } from '../../shared/ids';
import { readSettings } from '../../host/settings';
import { copyPrompt } from '../../host/copyPrompt';
import { WebviewHost } from '../../webview/webviewHost';
import { QuietTimer } from '../../core/common/quietTimer';
import { PosterReader } from '../../core/media/posterReader';

/** How long formatting cards may hold the extension host before it lets other work in. */
const RENDER_SLICE_MS = 5;

/** How long the files must stay unchanged before the gallery scans again. */
const RESCAN_QUIET_MS = 400;

/** A generated video found in the workspace: the file and its sidecar. */
interface Found {
  file: vscode.Uri;
  sidecar: Sidecar;
  /** The sidecar's `createdAt` in milliseconds, read once: the list is sorted after every batch. */
  createdMs: number;
}

const MAX_VIDEOS = 5000;
/** Posters read at once; the page asks for those near its view, top first. */
const POSTER_READS = 3;
/** Poster requests kept waiting at most; the oldest beyond are dropped (the page asks again when it needs them). */
const MAX_POSTER_QUEUE = 64;
/**
 * Sidecars read at once: a small first batch (the first cards at once), then a little larger ones. The
 * reads of a batch finish together and are parsed back to back, so a batch stays a few milliseconds of
 * the extension host's thread.
 */
const FIRST_BATCH = 24;
const BATCH = 32;

const newestFirst = (a: Found, b: Found) => b.createdMs - a.createdMs;

/**
 * Every video in the workspace folders that has an Omni Video sidecar, newest first. Files under
 * `files.exclude` and in node_modules are skipped; a sidecar that does not parse is not listed.
 * `onProgress` gets what is found so far after each batch, so the first cards show before the whole
 * workspace is read: the output folders (`omniVideo.outputDirectory`, where videos are saved) are read
 * first, straight from the disk, while the workspace search (`findFiles`, which takes a second or more
 * in a large workspace) runs; its list is the final one. With `cache`, a sidecar is read again only
 * when its modification time changed.
 */
export async function findGeneratedVideos(onProgress?: (found: Found[]) => void, cache: SidecarCache = new Map()): Promise<Found[]> {
  const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
  const searched = Promise.all(folders.map((folder) => vscode.workspace.findFiles(new vscode.RelativePattern(folder, VIDEO_GLOB), undefined, MAX_VIDEOS)));
  const found = new Map<string, Found>();
  const readAll = async (videos: readonly vscode.Uri[]) => {
    for (let i = 0; i < videos.length; ) {
      const end = i + (found.size === 0 ? FIRST_BATCH : BATCH);
      const batch = await Promise.all(videos.slice(i, end).map(async (file) => ({ file, sidecar: await readSidecarCached(sidecarPathFor(file.fsPath), cache) })));
      for (const { file, sidecar } of batch) if (sidecar) found.set(file.fsPath, { file, sidecar, createdMs: Date.parse(sidecar.createdAt) || 0 });
      onProgress?.([...found.values()].sort(newestFirst));
      i = end;
    }
  };
  await readAll((await Promise.all(folders.map(outputFolderVideos))).flat());
  const videos = (await searched).flat().filter((uri) => !/[\\/]node_modules[\\/]/.test(uri.fsPath));
  await readAll(videos.filter((file) => !found.has(file.fsPath)));
  const listed = new Set(videos.map((file) => file.fsPath));
  const listedSidecars = new Set(videos.map((file) => sidecarPathFor(file.fsPath)));
  for (const key of cache.keys()) if (!listedSidecars.has(key)) cache.delete(key);
  return [...found.values()].filter((entry) => listed.has(entry.file.fsPath)).sort(newestFirst);
}

/**
 * The videos directly in a folder's output directory, read from the disk (no search), the most
 * recently written first (then by name, which starts with the date): read in that order, the cards
 * shown so far stay at the top as more arrive.
 */
async function outputFolderVideos(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  const directory = path.join(folder.uri.fsPath, readSettings(folder.uri).outputDirectory);
  const names = (await readdir(directory).catch(() => [] as string[])).filter((name) => VIDEO_EXTENSIONS.includes(name.slice(name.lastIndexOf('.') + 1).toLowerCase()));
  const dated = await Promise.all(names.map(async (name) => ({ name, mtimeMs: await stat(path.join(directory, name)).then((st) => st.mtimeMs, () => 0) })));
  dated.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  return dated.map(({ name }) => vscode.Uri.file(path.join(directory, name)));
}

/**
 * The gallery (`omniVideo.openGallery`): the workspace's generated videos with their prompts, from
 * their sidecars; rescanned when videos or sidecars change.
 */
export class GalleryView extends WebviewHost<GalleryToHost, HostToGallery> {
  private found: Found[] = [];
  private readonly sidecars: SidecarCache = new Map();
  private readonly entries = new WeakMap<Sidecar, GalleryEntry>();
  /** Renders started, so that an unfinished one knows a newer one replaced it. */
  private renders = 0;
  private scanning = false;
  private scanId = 0;
  private readonly rescan = new QuietTimer(RESCAN_QUIET_MS, () => void this.scan());
  /** Posters asked for and not read yet (by the card's `src`), and how many are being read. */
  private readonly posterQueue: { src: string; file: string; whole: boolean }[] = [];
  private posterReads = 0;
  private readonly posterReader = this._register(new PosterReader());
  /** The videos of the list last sent to the page, by their cards' `src`. */
  private shown = new Map<string, Found>();

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, store: JobStore, logger: Logger) {
    super(panel, extensionUri, { name: 'the gallery', page: { script: 'gallery.js', style: 'gallery.css', title: vscode.l10n.t('Video Gallery'), blobImages: true }, schema: galleryToHostSchema, logger });
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.{json,mp4,mov,webm}'));
    for (const event of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this._register(event(() => this.scheduleRescan()));
    this._register(store.onDidChange((job) => job.phase === 'saved' && this.scheduleRescan()));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRescan()));
    this._register({ dispose: () => this.rescan.cancel() });
    this.load();
    this.firstScan = this.scan();
  }

  /** The scan a new gallery starts with. */
  readonly firstScan: Promise<void>;

  /** The files the gallery lists, in order (tests read it). */
  get files(): readonly vscode.Uri[] {
    return this.found.map((f) => f.file);
  }

  /** Scans again once changes stop for RESCAN_QUIET_MS (a burst of file events is one rescan). */
  private scheduleRescan(): void {
    this.rescan.poke();
  }

  async scan(): Promise<void> {
    const id = ++this.scanId; // a newer scan replaces this one's results
    this.scanning = true;
    void this.render();
    const started = performance.now();
    let shownAt = started;
    let firstShownMs: number | undefined;
    try {
      const found = await findGeneratedVideos((soFar) => {
        firstShownMs ??= performance.now() - started;
        // The first batch at once, then what is found so far once a second: each state carries the
        // whole list, and sending a thousand entries often would hold the extension host.
        if (id !== this.scanId || (this.found.length > 0 && performance.now() - shownAt < 1000)) return;
        this.found = soFar;
        shownAt = performance.now();
        void this.render();
      }, this.sidecars);
      if (id === this.scanId) this.found = found;
      this.logger.info(`gallery: ${found.length} videos listed in ${(performance.now() - started).toFixed(0)} ms${firstShownMs === undefined ? '' : ` (the first shown after ${firstShownMs.toFixed(0)} ms)`}, ${this.sidecars.size} sidecars known`);
    } catch (error) {
      this.logger.error(`The gallery could not list the workspace's videos: ${String(error)}`);
    } finally {
      if (id === this.scanId) {
        this.scanning = false;
        void this.render();
      }
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
    if (message.type === 'poster') {
      // Named by the `src` this host gave its card, whatever its place in the list is now.
      const video = this.shown.get(message.src);
      if (video) this.queuePoster(message.src, video.file.fsPath, message.whole === true);
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

  /** Queues a card's poster; it is read when a read is free, then sent (or null: the card shows the video). */
  private queuePoster(src: string, file: string, whole: boolean): void {
    if (this.posterQueue.some((q) => q.src === src && q.whole === whole)) return;
    this.posterQueue.push({ src, file, whole });
    if (this.posterQueue.length > MAX_POSTER_QUEUE) this.posterQueue.shift();
    this.readPosters();
  }

  private readPosters(): void {
    while (this.posterReads < POSTER_READS && this.posterQueue.length && !this.isDisposed) {
      const { src, file, whole } = this.posterQueue.shift()!;
      this.posterReads++;
      void this.posterReader.read(file, { keyOnly: !whole })
        .then((poster) => this.send({ type: 'poster', src, poster: poster ?? null }))
        .finally(() => {
          this.posterReads--;
          this.readPosters();
        });
    }
  }

  /**
   * Sends the list. Cards not formatted yet are formatted a few milliseconds at a time (a thousand at
   * once held the extension host for over 100 ms); a newer render makes an unfinished one give up.
   */
  private async render(): Promise<void> {
    const id = ++this.renders;
    const found = this.found;
    const entries: GalleryEntry[] = [];
    const shown = new Map<string, Found>();
    let slice = performance.now();
    for (const video of found) {
      // One sidecar object per file path (the cache's), so it names its card.
      let entry = this.entries.get(video.sidecar);
      if (!entry) {
        if (performance.now() - slice > RENDER_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          if (id !== this.renders) return;
          slice = performance.now();
        }
        entry = this.entryOf(video);
        this.entries.set(video.sidecar, entry);
      }
      entries.push(entry);
      shown.set(entry.src, video);
    }
    this.shown = shown;
    this.postState({ type: 'state', state: { entries, scanning: this.scanning, labels: labels(), language: vscode.env.language } });
  }

  /** What a card shows of a video; kept per sidecar read, so a rescan formats only what changed. */
  private entryOf({ file, sidecar }: Found): GalleryEntry {
    const webview = this.panel.webview;
    const created = Date.parse(sidecar.createdAt);
    const seconds = sidecar.job.seconds ?? sidecar.request.seconds;
    const size = sidecar.job.size;
    return {
      name: file.path.slice(file.path.lastIndexOf('/') + 1),
      relative: workspaceRelative(file),
      src: webview.asWebviewUri(file).toString(),
      prompt: sidecar.prompt,
      mode: modeLabel(sidecar.mode),
      seconds: sidecar.measured?.duration
        ? vscode.l10n.t('{0} s', sidecar.measured.duration.toFixed(1))
        : typeof seconds === 'string' || typeof seconds === 'number'
          ? vscode.l10n.t('{0} s', String(seconds))
          : undefined,
      size: typeof size === 'string' ? size : undefined,
      // Formatted by the page: a date formatter's first use costs the extension host 10–30 ms.
      created: Number.isFinite(created) ? created : undefined,
    };
  }
}

/**
 * As `asRelativePath` (the folder's name first when there are several), for a file inside a workspace
 * folder; that call resolved both paths every time, 100 ms of the host's thread for a thousand cards.
 */
function workspaceRelative(file: vscode.Uri): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const fold = (text: string) => (process.platform === 'win32' ? text.toLowerCase() : text);
  const filePath = fold(file.path);
  for (const folder of folders) {
    const root = folder.uri.path.replace(/\/+$/, '');
    if (folder.uri.scheme !== file.scheme || !filePath.startsWith(`${fold(root)}/`)) continue;
    const inside = file.path.slice(root.length + 1);
    return folders.length > 1 ? `${folder.name}/${inside}` : inside;
  }
  return vscode.workspace.asRelativePath(file, folders.length > 1);
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
