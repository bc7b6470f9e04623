import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import { ASPECT_RATIOS, RESOLUTIONS, SECONDS } from '../../core/api/schemas';
import type { GenerationFlow } from '../../generation/generationFlow';
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../generate/mediaCommands';
import { modeOf } from '../../generation/generationService';
import { JOB_MODES } from '../../core/jobs/jobModel';
import { MAX_REFERENCE_IMAGES } from '../../core/api/modeRequests';
import { readSettings } from '../../host/settings';
import { modeLabel } from '../../host/modeLabels';
import { loadUntilReady, webviewHtml, webviewOptions, workspaceRoots } from '../../webview/webviewHtml';
import {
  PANEL_VIEW_TYPE,
  panelToHostSchema,
  panelWebviewStateSchema,
  type HostToPanel,
  type PanelLabels,
  type PanelSlot,
  type PanelState,
  type PanelToHost,
  type SlotItem,
} from '../../shared/panelProtocol';


interface Slots {
  firstImage?: vscode.Uri;
  lastImage?: vscode.Uri;
  images: vscode.Uri[];
  video?: vscode.Uri;
}

/** What a command can put into the panel when it opens it (Use as Reference, a walkthrough step). */
export interface PanelSeed {
  firstImage?: vscode.Uri;
  images?: vscode.Uri[];
  video?: vscode.Uri;
  prompt?: string;
}

/**
 * The generation panel (`omniVideo.openPanel`): a prompt with its history, media slots filled by drag
 * and drop or a picker, the parameters and Generate. One panel, restored after a reload with its
 * prompt and slots. The job it submits is the same as the commands': GenerationFlow.runFromPanel.
 */
export class GenerationPanel implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private slots: Slots = { images: [] };
  private busy = false;
  private message: PanelState['message'];
  private ready = false;
  private pendingPrompt: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly flow: GenerationFlow,
    private readonly logger: Logger,
  ) {}

  /** Opens (or reveals) the panel, optionally with media and a prompt already in it. */
  open(seed: PanelSeed = {}): vscode.WebviewPanel {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, vscode.l10n.t('Generate Video'), vscode.ViewColumn.Active, webviewOptions(this.extensionUri, workspaceRoots()));
      this.attach(panel, {});
    } else {
      this.panel.reveal();
    }
    if (seed.firstImage) this.slots = { ...this.slots, firstImage: seed.firstImage, images: [], video: undefined };
    if (seed.images?.length) this.slots = { images: seed.images.slice(0, MAX_REFERENCE_IMAGES) };
    if (seed.video) this.slots = { images: [], video: seed.video };
    if (seed.prompt !== undefined) this.setPrompt(seed.prompt);
    this.message = undefined;
    this.postState();
    return this.panel!;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      panel.dispose(); // one panel
      return;
    }
    const parsed = panelWebviewStateSchema.safeParse(state);
    panel.webview.options = webviewOptions(this.extensionUri, workspaceRoots());
    const saved = parsed.success ? parsed.data : {};
    const existing = (file: string | undefined) => (file && fs.existsSync(file) ? vscode.Uri.file(file) : undefined);
    this.slots = {
      firstImage: existing(saved.slots?.firstImage),
      lastImage: existing(saved.slots?.lastImage),
      images: (saved.slots?.images ?? []).map(existing).filter((u): u is vscode.Uri => u !== undefined),
      video: existing(saved.slots?.video),
    };
    this.attach(panel, saved);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private attach(panel: vscode.WebviewPanel, saved: { prompt?: string }): void {
    this.panel = panel;
    this.ready = false;
    if (saved.prompt) this.pendingPrompt = saved.prompt;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon-video.svg');
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      loadUntilReady(
        () => (panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'panel.js', style: 'panel.css', title: vscode.l10n.t('Generate Video') })),
        () => this.ready,
        () => panel.visible,
        (attempt) => this.logger.warn(`The generation panel did not start; loading it again (${attempt}).`),
      ),
      panel.onDidDispose(() => {
        subscriptions.forEach((d) => d.dispose());
        if (this.panel === panel) {
          this.panel = undefined;
          this.slots = { images: [] };
          this.message = undefined;
        }
      }),
    ];
  }

  private setPrompt(prompt: string): void {
    if (this.ready) void this.post({ type: 'setPrompt', prompt });
    else this.pendingPrompt = prompt;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = panelToHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.warn('Ignoring a malformed message from the generation panel.');
      return;
    }
    const message: PanelToHost = parsed.data;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postState();
        if (this.pendingPrompt !== undefined) {
          void this.post({ type: 'setPrompt', prompt: this.pendingPrompt });
          this.pendingPrompt = undefined;
        }
        return;
      case 'pick':
        return this.pick(message.slot);
      case 'drop':
        return this.fill(message.slot, message.uris.map(parseDroppedUri));
      case 'remove':
        if (message.slot === 'images') this.slots.images.splice(message.index, 1);
        else this.slots[message.slot] = undefined;
        this.message = undefined;
        return this.postState();
      case 'generate':
        return this.generate(message);
      case 'showJobs':
        await vscode.commands.executeCommand('omniVideo.showJobs');
        return;
    }
  }

  private async pick(slot: PanelSlot): Promise<void> {
    const video = slot === 'video';
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: slot === 'images',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: video ? { [vscode.l10n.t('Videos')]: VIDEO_EXTENSIONS } : { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS },
      openLabel: vscode.l10n.t('Use'),
    });
    if (picked?.length) this.fill(slot, picked);
  }

  /** Puts files into a slot after a first check of what they are; the full check comes with Generate. */
  private fill(slot: PanelSlot, uris: (vscode.Uri | undefined)[]): void {
    const wanted = slot === 'video' ? VIDEO_EXTENSIONS : IMAGE_EXTENSIONS;
    const accepted: vscode.Uri[] = [];
    const refused: string[] = [];
    for (const uri of uris) {
      const extension = uri ? path.extname(uri.fsPath).slice(1).toLowerCase() : '';
      if (!uri || uri.scheme !== 'file') refused.push(vscode.l10n.t('only files from the workspace can be used'));
      else if (!wanted.includes(extension)) refused.push(slot === 'video' ? vscode.l10n.t('{0} is not a video', path.basename(uri.fsPath)) : vscode.l10n.t('{0} is not an image', path.basename(uri.fsPath)));
      else if (!vscode.workspace.getWorkspaceFolder(uri)) refused.push(vscode.l10n.t('{0} is outside the workspace folders', path.basename(uri.fsPath)));
      else accepted.push(uri);
    }
    if (slot === 'images') {
      const room = MAX_REFERENCE_IMAGES - this.slots.images.length;
      if (accepted.length > room) refused.push(vscode.l10n.t('at most {0} reference images', MAX_REFERENCE_IMAGES));
      this.slots.images.push(...accepted.slice(0, Math.max(0, room)));
    } else if (accepted[0]) {
      this.slots[slot] = accepted[0];
    }
    this.message = refused.length ? { kind: 'error', text: vscode.l10n.t('Not added: {0}.', refused.join('; ')) } : undefined;
    this.postState();
  }

  private async generate(message: Extract<PanelToHost, { type: 'generate' }>): Promise<void> {
    if (this.busy) return;
    const options = {
      prompt: message.prompt,
      seconds: message.seconds,
      aspectRatio: message.aspectRatio,
      ...(message.resolution ? { resolution: message.resolution } : {}),
      ...(message.fps ? { fps: message.fps } : {}),
      ...(this.slots.firstImage ? { firstImage: this.slots.firstImage } : {}),
      ...(this.slots.lastImage ? { lastImage: this.slots.lastImage } : {}),
      ...(this.slots.images.length ? { images: [...this.slots.images] } : {}),
      ...(this.slots.video ? { video: this.slots.video } : {}),
    };
    this.busy = true;
    this.message = undefined;
    this.postState();
    try {
      const id = await this.flow.runFromPanel(options);
      this.message = id ? { kind: 'info', text: vscode.l10n.t('Queued as {0}. It is saved to your workspace when ready.', id) } : undefined;
    } catch (error) {
      this.message = { kind: 'error', text: describeError(error) };
    } finally {
      this.busy = false;
      this.postState();
    }
  }

  private postState(): void {
    if (!this.panel || !this.ready) return;
    const webview = this.panel.webview;
    const item = (uri: vscode.Uri, kind: 'image' | 'video'): SlotItem => ({
      file: uri.fsPath,
      name: vscode.workspace.asRelativePath(uri, false),
      src: webview.asWebviewUri(uri).toString(),
      kind,
    });
    let mode: PanelState['mode'];
    try {
      mode = { id: modeOf({ firstImage: this.slots.firstImage, lastImage: this.slots.lastImage, images: this.slots.images.length ? this.slots.images : undefined, video: this.slots.video }) };
    } catch (error) {
      mode = { error: describeError(error) };
    }
    const settings = readSettings();
    const state: PanelState = {
      slots: {
        firstImage: this.slots.firstImage && item(this.slots.firstImage, 'image'),
        lastImage: this.slots.lastImage && item(this.slots.lastImage, 'image'),
        images: this.slots.images.map((u) => item(u, 'image')),
        video: this.slots.video && item(this.slots.video, 'video'),
      },
      mode,
      recentPrompts: this.flow.recentPrompts(),
      defaults: { seconds: settings.seconds, aspectRatio: settings.aspectRatio, resolution: settings.resolution ?? undefined },
      choices: { seconds: [...SECONDS], aspectRatios: [...ASPECT_RATIOS], resolutions: [...RESOLUTIONS] },
      busy: this.busy,
      message: this.message,
      labels: labels(),
    };
    void this.post({ type: 'state', state });
  }

  private post(message: HostToPanel): Thenable<boolean> {
    return this.panel?.webview.postMessage(message) ?? Promise.resolve(false);
  }
}

/** A dropped `text/uri-list` entry: a file URI (or a plain absolute path). */
function parseDroppedUri(text: string): vscode.Uri | undefined {
  const value = text.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) return vscode.Uri.parse(value, true);
    return path.isAbsolute(value) ? vscode.Uri.file(value) : undefined;
  } catch {
    return undefined;
  }
}

function labels(): PanelLabels {
  return {
    title: vscode.l10n.t('Generate a video'),
    prompt: vscode.l10n.t('Prompt'),
    promptPlaceholder: vscode.l10n.t('Describe the scene: subject, camera motion, light and mood'),
    recent: vscode.l10n.t('Recent prompts'),
    recentNone: vscode.l10n.t('No recent prompts'),
    mode: vscode.l10n.t('Mode'),
    modes: Object.fromEntries(JOB_MODES.map((mode) => [mode, modeLabel(mode)])) as PanelLabels['modes'],
    slots: {
      firstImage: vscode.l10n.t('First frame'),
      lastImage: vscode.l10n.t('Last frame'),
      images: vscode.l10n.t('References (up to 5)'),
      video: vscode.l10n.t('Clip to edit'),
    },
    slotHints: {
      firstImage: vscode.l10n.t('Drop an image here (hold Shift while dragging from the Explorer), or choose one'),
      lastImage: vscode.l10n.t('Drop the closing image here, or choose one'),
      images: vscode.l10n.t('Drop up to five images here, or choose them'),
      video: vscode.l10n.t('Drop a clip (MP4, MOV, WebM, up to 10 MB) here, or choose one'),
    },
    choose: vscode.l10n.t('Choose…'),
    remove: vscode.l10n.t('Remove {0}'),
    duration: vscode.l10n.t('Duration'),
    seconds: vscode.l10n.t('{0} seconds'),
    aspectRatio: vscode.l10n.t('Aspect ratio'),
    resolution: vscode.l10n.t('Resolution'),
    fps: vscode.l10n.t('Frames per second'),
    auto: vscode.l10n.t('Server default'),
    billing: vscode.l10n.t('Each generation is billed by the provider. Generate sends one request; nothing is sent again without your click.'),
    generate: vscode.l10n.t('Generate'),
    submitting: vscode.l10n.t('Submitting…'),
  };
}
