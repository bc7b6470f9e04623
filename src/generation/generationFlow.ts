import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestPreview } from '../core/api/requestPreview';
import { ASPECT_RATIOS, SECONDS, type AspectRatio, type JobMode, type Seconds } from '../core/api/schemas';
import { OmniVideoError, describeError } from '../core/common/errors';
import { inertMessageText } from '../core/common/messageText';
import { pickOne } from '../host/quickPick';
import { readSettings } from '../host/settings';
import { showError } from '../host/showError';
import { confirmBilling, showPreflightNotes } from './billing';
import { outputFolder, parseGenerateOptions, type GenerationService, type MediaOptions } from './generationService';
import type { RequestDocuments } from './requestDocuments';

/** What a scripted generate resolves to: the job id, or with `dryRun` the request it would send. */
export type ScriptedResult = string | RequestPreview;

const DRAFT_KEY = 'omniVideo.promptDraft';
const RECENT_PROMPTS = 'omniVideo.recentPrompts';
const LAST_SECONDS = 'omniVideo.lastSeconds';
const LAST_ASPECT = 'omniVideo.lastAspectRatio';
const MAX_RECENT = 20;

/** A step shown before the prompt (the frame order of an interpolation): resolves to the media, or undefined to cancel. */
export type MediaStep = (title: (step: number) => string) => Promise<MediaOptions | undefined>;

/**
 * The shared flow behind every generate command: with an options object it asks nothing; otherwise it
 * asks for the prompt (recent prompts offered, what is typed kept as a draft), the duration and the
 * aspect ratio (defaults from settings, last choice remembered, Enter accepts), then submits once.
 * Resolves to the job id once the server accepted the job.
 */
export class GenerationFlow {
  constructor(
    private readonly service: GenerationService,
    private readonly workspaceState: vscode.Memento,
    private readonly globalState: vscode.Memento,
    private readonly requests: RequestDocuments,
  ) {}

  /**
   * Scripted: `options` is the argument object of docs/product.md. Resolves to the job id, or with
   * `dryRun` to the request that would be sent (nothing is sent).
   */
  async runScripted(options: unknown): Promise<ScriptedResult> {
    try {
      const parsed = parseGenerateOptions(options);
      if (parsed.dryRun) return await this.service.preview(await this.service.prepareInputs(parsed), parsed);
      return (await withSubmitProgress(() => this.service.generate(parsed, false))).id;
    } catch (error) {
      showError(error);
      throw error instanceof OmniVideoError ? new Error(describeError(error)) : error;
    }
  }

  /** Preview Request with an options object: shows the request Generate would send and resolves to it. */
  async previewScripted(options: unknown): Promise<RequestPreview> {
    const preview = await this.runScripted({ ...(typeof options === 'object' ? options : {}), dryRun: true });
    await this.requests.show(preview as RequestPreview);
    return preview as RequestPreview;
  }

  /** Preview Request in the generation panel: the request its Generate would send, shown; nothing sent. */
  async previewFromPanel(options: unknown): Promise<RequestPreview> {
    const parsed = parseGenerateOptions(options);
    const preview = await this.service.preview(await this.service.prepareInputs(parsed), parsed);
    await this.requests.show(preview);
    return preview;
  }

  /**
   * From the generation panel: everything is chosen there, so nothing is asked but a confirmation of
   * media warnings and, if needed, the key. Errors are thrown for the panel to show; nothing is sent
   * unless the job is submitted. Resolves to the job id, or undefined when a warning was declined.
   */
  async runFromPanel(options: unknown): Promise<string | undefined> {
    const parsed = parseGenerateOptions(options);
    const inputs = await this.service.prepareInputs(parsed);
    if (inputs.warnings.length && !(await confirmWarnings(inputs.warnings))) return undefined;
    if (!(await confirmBilling(1, vscode.l10n.t('this video')))) return undefined;
    const { id } = await withSubmitProgress(() => this.service.submit(inputs, parsed, true));
    await this.remember(parsed.prompt, parsed.seconds ?? readSettings().seconds, parsed.aspectRatio ?? readSettings().aspectRatio);
    return id;
  }

  /** Prompts sent before, newest first (the palette flow and the panel offer them). */
  recentPrompts(): string[] {
    const value = this.globalState.get<unknown>(RECENT_PROMPTS);
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
  }

  /** Interactive: asks what is missing, then submits. Resolves undefined when the user cancels. */
  async runInteractive(
    mode: JobMode,
    media: MediaOptions | MediaStep,
    options: { initialPrompt?: string; preferred?: { seconds?: Seconds; aspectRatio?: AspectRatio }; dryRun?: boolean } = {},
  ): Promise<string | undefined> {
    try {
      outputFolder(); // fail before asking anything when no folder is open
      const extraStep = typeof media === 'function';
      const steps = extraStep ? 4 : 3;
      const title = (step: number) => `${flowTitle(mode)} (${step}/${steps})`;
      const chosen = typeof media === 'function' ? await media(title) : media;
      if (!chosen) return undefined;
      // Media is checked before anything is asked: a refused file costs no typing and no money.
      const inputs = await this.service.prepareInputs(chosen);
      if (inputs.warnings.length && !(await confirmWarnings(inputs.warnings))) return undefined;
      const first = extraStep ? 2 : 1;
      const prompt = await this.askPrompt(mode, `${promptStepTitle(mode, chosen)} (${first}/${steps})`, options.initialPrompt);
      if (prompt === undefined) return undefined;
      const settings = readSettings();
      const seconds = await pickOne<Seconds>(
        `${title(first + 1)}: ${vscode.l10n.t('duration')}`,
        SECONDS.map((value) => ({ value, label: vscode.l10n.t('{0} seconds', value) })),
        options.preferred?.seconds ?? this.globalState.get<Seconds>(LAST_SECONDS) ?? settings.seconds,
        settings.seconds,
        options.preferred?.seconds ? vscode.l10n.t('as before') : undefined,
      );
      if (!seconds) return undefined;
      const aspectRatio = await pickOne<AspectRatio>(
        `${title(first + 2)}: ${vscode.l10n.t('aspect ratio')}`,
        ASPECT_RATIOS.map((value) => ({ value, label: value, detail: aspectDetail(value) })),
        options.preferred?.aspectRatio ?? this.globalState.get<AspectRatio>(LAST_ASPECT) ?? settings.aspectRatio,
        settings.aspectRatio,
        options.preferred?.aspectRatio ? vscode.l10n.t('as before') : undefined,
      );
      if (!aspectRatio) return undefined;
      if (options.dryRun) {
        await this.requests.show(await this.service.preview(inputs, { prompt, seconds, aspectRatio }));
        return undefined;
      }
      showPreflightNotes(this.globalState, { aspectRatio });
      if (!(await confirmBilling(1, vscode.l10n.t('this video')))) return undefined;
      const { id } = await withSubmitProgress(() => this.service.submit(inputs, { prompt, seconds, aspectRatio }, true));
      await this.remember(prompt, seconds, aspectRatio);
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Video queued. It will be saved to your workspace when ready.'), vscode.l10n.t('Show Jobs'))
        .then((choice) => choice && vscode.commands.executeCommand('omniVideo.showJobs'));
      return id;
    } catch (error) {
      showError(error);
      return undefined;
    }
  }

  private async remember(prompt: string, seconds: Seconds, aspectRatio: AspectRatio): Promise<void> {
    const recent = [prompt.trim(), ...this.recentPrompts().filter((p) => p !== prompt.trim())].slice(0, MAX_RECENT);
    await Promise.all([
      this.workspaceState.update(DRAFT_KEY, undefined),
      this.globalState.update(RECENT_PROMPTS, recent),
      this.globalState.update(LAST_SECONDS, seconds),
      this.globalState.update(LAST_ASPECT, aspectRatio),
    ]);
  }

  /**
   * The prompt, typed or picked from recent prompts. What is typed is kept as a draft (workspace
   * state) until it is sent, so cancelling or a failed submission loses nothing.
   */
  private askPrompt(mode: JobMode, title: string, initialPrompt?: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { prompt?: string }>();
      pick.title = title;
      pick.placeholder = promptPlaceholder(mode);
      pick.ignoreFocusOut = true;
      pick.matchOnDescription = false;
      // A draft typed for a prompt alone is filled in again; for an image or a clip it is only offered,
      // like the recent prompts: it was written for other media.
      const draft = initialPrompt === undefined ? this.workspaceState.get<string>(DRAFT_KEY, '').trim() : '';
      pick.value = initialPrompt ?? (mode === 'text' ? draft : '');
      const offered = mode !== 'text' && draft ? [{ label: draft, prompt: draft, description: vscode.l10n.t('unsent draft') }] : [];
      const recent = [...offered, ...this.recentPrompts().filter((p) => p !== draft).map((p) => ({ label: p, prompt: p, description: vscode.l10n.t('recent') }))];
      const update = () => {
        const typed = pick.value.trim();
        const typedItem = typed ? [{ label: `$(edit) ${typed}`, prompt: typed, alwaysShow: true, description: vscode.l10n.t('use this prompt') }] : [];
        pick.items = [...typedItem, ...recent];
      };
      update();
      let done = false;
      pick.onDidChangeValue((value) => {
        if (initialPrompt === undefined) void this.workspaceState.update(DRAFT_KEY, value); // a selection is not a draft
        update();
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0]?.prompt ?? pick.activeItems[0]?.prompt ?? pick.value.trim();
        if (!chosen) return; // nothing typed or picked: stay open
        done = true;
        resolve(chosen);
        pick.hide();
      });
      pick.onDidHide(() => {
        if (!done) resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
  }
}

function withSubmitProgress<T>(task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Omni Video: submitting your video…') }, task);
}

/** Asks before sending media that works but costs (a very large image, say). */
async function confirmWarnings(warnings: string[]): Promise<boolean> {
  const send = vscode.l10n.t('Send Anyway');
  const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Omni Video: {0}', inertMessageText(warnings.join(' '))), { modal: true }, send);
  return answer === send;
}

/** The prompt step's title, naming the media it is for ("Animate harbour.png: describe the motion"). */
function promptStepTitle(mode: JobMode, media: MediaOptions): string {
  const name = (ref: unknown) => (ref instanceof vscode.Uri ? path.basename(ref.fsPath) : typeof ref === 'string' && !ref.startsWith('data:') ? path.basename(ref) : vscode.l10n.t('the image'));
  switch (mode) {
    case 'image':
      return vscode.l10n.t('Animate {0}: describe the motion', name(media.firstImage));
    case 'interpolate':
      return vscode.l10n.t('From {0} to {1}: describe the transition', name(media.firstImage), name(media.lastImage));
    case 'references':
      return vscode.l10n.t('{0} reference images: describe the scene', media.images?.length ?? 0);
    case 'video':
      return vscode.l10n.t('Edit {0}: describe the change', name(media.video));
    default:
      return flowTitle(mode);
  }
}

const flowTitle = (mode: JobMode): string =>
  ({
    text: () => vscode.l10n.t('Generate Video from Prompt'),
    image: () => vscode.l10n.t('Generate Video from Image'),
    interpolate: () => vscode.l10n.t('Interpolate Between Images'),
    references: () => vscode.l10n.t('Generate Video from References'),
    video: () => vscode.l10n.t('Edit or Extend Video'),
  })[mode]();

/** What works for each mode: the provider advises scene, camera motion, light and mood. */
const promptPlaceholder = (mode: JobMode): string =>
  ({
    text: () => vscode.l10n.t('Describe the scene, camera motion, light and mood, e.g. Ocean waves at golden hour, slow dolly-in, cinematic'),
    image: () => vscode.l10n.t('How the image comes alive, e.g. Wind moves the trees, clouds drift, slow push-in, warm evening light'),
    interpolate: () => vscode.l10n.t('How to get from the first frame to the last, e.g. Smooth cinematic transition, the camera arcs left'),
    references: () => vscode.l10n.t('Say what each image is for, e.g. Image 1 is the character, image 2 the style. A cozy cafe scene.'),
    video: () => vscode.l10n.t('How to change or extend the clip, e.g. Add a rainy night look with neon reflections'),
  })[mode]();

const aspectDetail = (ratio: AspectRatio): string =>
  ({
    '16:9': () => vscode.l10n.t('Landscape 1280×720 (recommended)'),
    '9:16': () => vscode.l10n.t('Portrait 720×1280 (recommended)'),
    '1:1': () => vscode.l10n.t('Accepted, but lands on landscape or portrait: no square guarantee'),
    '4:3': () => vscode.l10n.t('Lands on landscape'),
    '3:4': () => vscode.l10n.t('Lands on portrait'),
  })[ratio]();
