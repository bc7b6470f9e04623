import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core/common/errors';
import type { Logger } from '../../core/common/logger';
import { ASPECT_RATIOS, JOB_MODES, RESOLUTIONS, SECONDS } from '../../core/api/schemas';
import { MAX_REFERENCE_IMAGES } from '../../core/api/modeRequests';
import { modeLabel } from '../../core/jobs/jobLabels';
import { aspectRatioNote } from '../../generation/billing';
import type { GenerationFlow } from '../../generation/generationFlow';
import { modeOf } from '../../generation/generationService';
import { pickMediaFiles } from '../../host/mediaPicker';
import { customApiHost, readSettings, type OmniVideoSettings } from '../../host/settings';
import { estimatedCost } from '../../core/jobs/costGuard';
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../../shared/ids';
import {
  panelToHostSchema,
  panelWebviewStateSchema,
  type HostToPanel,
  type PanelLabels,
  type PanelSlot,
  type PanelState,
  type PanelToHost,
  type SlotItem,
} from '../../shared/panelProtocol';
import { WebviewHost } from '../../webview/webviewHost';

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
  /** Every slot at once (editing a job's request): what it leaves out is emptied. */
  slots?: { firstImage?: vscode.Uri; lastImage?: vscode.Uri; images?: vscode.Uri[]; video?: vscode.Uri };
}

/**
 * The generation panel (`omniVideo.openPanel`): a prompt with its history, media slots filled by drag
 * and drop or a picker, the parameters and Generate. Restored after a reload with its prompt and
 * slots. The job it submits is the same as the commands': GenerationFlow.runFromPanel.
 */
export class GenerationPanel extends WebviewHost<PanelToHost, HostToPanel> {
  private slots: Slots = { images: [] };
  private busy = false;
  private message: PanelState['message'];
  private pendingPrompt: string | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly flow: GenerationFlow,
    logger: Logger,
    savedState: unknown,
  ) {
    super(panel, extensionUri, { name: 'the generation panel', page: { script: 'panel.js', style: 'panel.css', title: vscode.l10n.t('Generate Video') }, schema: panelToHostSchema, logger });
    const parsed = panelWebviewStateSchema.safeParse(savedState);
    const saved = parsed.success ? parsed.data : {};
    const existing = (file: string | undefined) => (file && fs.existsSync(file) ? vscode.Uri.file(file) : undefined);
    this.slots = {
      firstImage: existing(saved.slots?.firstImage),
      lastImage: existing(saved.slots?.lastImage),
      images: (saved.slots?.images ?? []).map(existing).filter((u): u is vscode.Uri => u !== undefined),
      video: existing(saved.slots?.video),
    };
    this.pendingPrompt = saved.prompt || undefined;
    this.load();
    this.render();
  }

  /** Puts media and a prompt into the panel (a command opened it with them). */
  seed(seed: PanelSeed): void {
    if (seed.slots) this.slots = { ...seed.slots, images: seed.slots.images?.slice(0, MAX_REFERENCE_IMAGES) ?? [] };
    if (seed.firstImage) this.slots = { ...this.slots, firstImage: seed.firstImage, images: [], video: undefined };
    if (seed.images?.length) this.slots = { images: seed.images.slice(0, MAX_REFERENCE_IMAGES) };
    if (seed.video) this.slots = { images: [], video: seed.video };
    if (seed.prompt !== undefined) this.pendingPrompt = seed.prompt;
    this.message = undefined;
    this.render();
    this.sendPendingPrompt();
  }

  protected override onReady(): void {
    this.sendPendingPrompt();
  }

  private sendPendingPrompt(): void {
    const prompt = this.pendingPrompt;
    if (prompt === undefined || !this.isReady) return;
    this.pendingPrompt = undefined;
    void this.send({ type: 'setPrompt', prompt });
  }

  protected async onMessage(message: PanelToHost): Promise<void> {
    switch (message.type) {
      case 'pick':
        return this.pick(message.slot);
      case 'drop':
        return this.fill(message.slot, message.uris.map(parseDroppedUri));
      case 'remove':
        if (message.slot === 'images') this.slots.images.splice(message.index, 1);
        else this.slots[message.slot] = undefined;
        this.message = undefined;
        return this.render();
      case 'generate':
        return this.generate(message);
      case 'showJobs':
        await vscode.commands.executeCommand('omniVideo.showJobs');
        return;
    }
  }

  private async pick(slot: PanelSlot): Promise<void> {
    const picked = await pickMediaFiles(slot === 'video' ? 'video' : 'image', { many: slot === 'images' });
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
    this.render();
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
    this.render();
    try {
      if (message.dryRun) {
        await this.flow.previewFromPanel(options);
        this.message = { kind: 'info', text: vscode.l10n.t('The request Generate would send is shown beside the panel. Nothing was sent or billed.') };
        return;
      }
      const id = await this.flow.runFromPanel(options);
      this.message = id ? { kind: 'info', text: vscode.l10n.t('Queued as {0}. It is saved to your workspace when ready.', id) } : undefined;
    } catch (error) {
      this.message = { kind: 'error', text: describeError(error) };
    } finally {
      this.busy = false;
      this.render();
    }
  }

  private render(): void {
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
      labels: labels(settings),
    };
    this.postState({ type: 'state', state });
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

function labels(settings: OmniVideoSettings): PanelLabels {
  const perGeneration = estimatedCost(1, settings.pricePerGeneration ?? undefined, vscode.env.language);
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
    billing: [
      vscode.l10n.t('Each generation is billed by the provider. Generate sends one request; nothing is sent again without your click.'),
      perGeneration && vscode.l10n.t('Estimate: {0} per generation.', perGeneration),
      customApiHost(settings) && vscode.l10n.t('Requests go to {0} (omniVideo.baseUrl).', customApiHost(settings)!),
    ].filter(Boolean).join(' '),
    previewRequest: vscode.l10n.t('Preview Request'),
    aspectNotes: Object.fromEntries(ASPECT_RATIOS.flatMap((ratio) => (aspectRatioNote(ratio) ? [[ratio, aspectRatioNote(ratio)!]] : []))),
    generate: vscode.l10n.t('Generate'),
    submitting: vscode.l10n.t('Submitting…'),
  };
}
