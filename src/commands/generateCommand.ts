import * as vscode from 'vscode';
import { OmniVideoError, describeError } from '../core/errors';
import { ASPECT_RATIOS, SECONDS, type AspectRatio, type Seconds } from '../core/schemas';
import { parseGenerateOptions, outputFolder, type GenerateOptions, type GenerationService } from '../generationService';
import { readSettings } from '../settings';
import { showError } from './showError';

const DRAFT_KEY = 'omniVideo.promptDraft';
const LAST_SECONDS = 'omniVideo.lastSeconds';
const LAST_ASPECT = 'omniVideo.lastAspectRatio';

/**
 * Omni Video: Generate Video from Prompt… — with an options object it asks nothing; without one it
 * asks for the prompt, duration and aspect ratio (defaults from settings, last choice remembered).
 * Resolves to the job id once the server accepted the job.
 */
export class GenerateCommand {
  constructor(
    private readonly service: GenerationService,
    private readonly workspaceState: vscode.Memento,
    private readonly globalState: vscode.Memento,
  ) {}

  async run(args?: unknown): Promise<string | undefined> {
    const interactive = args === undefined || args === null || args instanceof vscode.Uri;
    try {
      const options = interactive ? await this.ask() : parseGenerateOptions(args);
      if (!options) return undefined;
      const job = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Omni Video: submitting your video…') },
        () => this.service.generateText(options, interactive),
      );
      if (interactive) {
        await this.workspaceState.update(DRAFT_KEY, undefined);
        await this.globalState.update(LAST_SECONDS, options.seconds);
        await this.globalState.update(LAST_ASPECT, options.aspectRatio);
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Video queued. It will be saved to your workspace when ready.'), vscode.l10n.t('Show Jobs'))
          .then((choice) => choice && vscode.commands.executeCommand('omniVideo.showJobs'));
      }
      return job.id;
    } catch (error) {
      showError(error);
      if (!interactive) throw error instanceof OmniVideoError ? new Error(describeError(error)) : error;
      return undefined;
    }
  }

  /** Asks for the prompt and parameters. Whatever is typed is kept as a draft until it is sent. */
  private async ask(): Promise<GenerateOptions | undefined> {
    outputFolder(); // fail before asking anything when no folder is open
    const settings = readSettings();
    const prompt = await vscode.window.showInputBox({
      title: vscode.l10n.t('Generate Video from Prompt (1/3)'),
      prompt: vscode.l10n.t('Describe the scene, the camera motion, the light and the mood.'),
      placeHolder: vscode.l10n.t('e.g. Ocean waves rolling onto a sandy beach at golden hour, slow dolly-in, cinematic'),
      value: this.workspaceState.get<string>(DRAFT_KEY, ''),
      ignoreFocusOut: true,
      validateInput: (text) => {
        void this.workspaceState.update(DRAFT_KEY, text);
        return text.trim() ? undefined : vscode.l10n.t('The prompt is empty.');
      },
    });
    if (prompt === undefined) return undefined;
    const seconds = await pickOne<Seconds>(
      vscode.l10n.t('Generate Video from Prompt (2/3): duration'),
      SECONDS.map((value) => ({ value, label: vscode.l10n.t('{0} seconds', value) })),
      this.globalState.get<Seconds>(LAST_SECONDS) ?? settings.seconds,
      settings.seconds,
    );
    if (!seconds) return undefined;
    const aspectRatio = await pickOne<AspectRatio>(
      vscode.l10n.t('Generate Video from Prompt (3/3): aspect ratio'),
      ASPECT_RATIOS.map((value) => ({ value, label: value, detail: aspectDetail(value) })),
      this.globalState.get<AspectRatio>(LAST_ASPECT) ?? settings.aspectRatio,
      settings.aspectRatio,
    );
    if (!aspectRatio) return undefined;
    return { prompt, seconds, aspectRatio };
  }
}

function aspectDetail(ratio: AspectRatio): string {
  switch (ratio) {
    case '16:9':
      return vscode.l10n.t('Landscape 1280×720 (recommended)');
    case '9:16':
      return vscode.l10n.t('Portrait 720×1280 (recommended)');
    case '1:1':
      return vscode.l10n.t('Accepted, but lands on landscape or portrait: no square guarantee');
    case '4:3':
      return vscode.l10n.t('Lands on landscape');
    case '3:4':
      return vscode.l10n.t('Lands on portrait');
  }
}

interface PickItem<T extends string> extends vscode.QuickPickItem {
  value: T;
}

/** A quick pick whose active item is the remembered choice, so Enter accepts it. */
function pickOne<T extends string>(title: string, options: { value: T; label: string; detail?: string }[], active: T, defaultValue: T): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<PickItem<T>>();
    pick.title = title;
    pick.ignoreFocusOut = true;
    pick.matchOnDetail = true;
    pick.items = options.map((o) => ({
      value: o.value,
      label: o.label,
      detail: o.detail,
      description: [o.value === defaultValue ? vscode.l10n.t('default') : '', o.value === active && active !== defaultValue ? vscode.l10n.t('last used') : '']
        .filter(Boolean)
        .join(' · '),
    }));
    pick.activeItems = pick.items.filter((i) => i.value === active);
    let done = false;
    pick.onDidAccept(() => {
      done = true;
      resolve(pick.selectedItems[0]?.value ?? pick.activeItems[0]?.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
