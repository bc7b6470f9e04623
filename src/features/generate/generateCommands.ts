import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError } from '../../core/common/errors';
import { MAX_REFERENCE_IMAGES } from '../../core/api/modeRequests';
import { explorerSelection } from '../../generation/mediaRefs';
import { MAX_PROMPT_CHARS } from '../../core/api/schemas';
import { showError } from '../../host/showError';
import type { GenerationFlow, ScriptedResult } from '../../generation/generationFlow';
import { pickMediaFiles } from '../../host/mediaPicker';
import { pickOne } from '../../host/quickPick';

/** An argument object from a keybinding, a task, another extension or a test (not an explorer Uri). */
function isOptionsObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value);
}

/** The files a command acts on: the explorer's selection, or files the user picks. */
async function chooseFiles(clicked: unknown, selected: unknown, kind: 'image' | 'video', many: boolean, title: string): Promise<vscode.Uri[] | undefined> {
  const fromExplorer = explorerSelection(clicked, selected);
  if (fromExplorer.length) return fromExplorer;
  return pickMediaFiles(kind, { many, title });
}

/** Generate Video from Image…: one image as the first frame. */
export async function imageToVideo(flow: GenerationFlow, clicked?: unknown, selected?: unknown): Promise<ScriptedResult | undefined> {
  if (isOptionsObject(clicked)) return flow.runScripted(clicked);
  const files = await chooseFiles(clicked, selected, 'image', false, vscode.l10n.t('Choose the image to animate'));
  if (!files?.length) return undefined;
  // With several images selected, the one right-clicked is the one animated.
  const image = clicked instanceof vscode.Uri ? clicked : files[0];
  return flow.runInteractive('image', { firstImage: image });
}

/** Interpolate Between Images…: two images as first and last frame, in selection order, swappable. */
export async function interpolate(flow: GenerationFlow, clicked?: unknown, selected?: unknown): Promise<ScriptedResult | undefined> {
  if (isOptionsObject(clicked)) return flow.runScripted(clicked);
  const files = await chooseFiles(clicked, selected, 'image', true, vscode.l10n.t('Choose the first and the last frame'));
  if (!files?.length) return undefined;
  if (files.length !== 2) {
    showError(new OmniVideoError('badRequest', vscode.l10n.t('Select exactly two images to interpolate between (you selected {0}).', files.length)));
    return undefined;
  }
  let [first, last] = files;
  const confirmOrder = async (title: (step: number) => string) => {
    for (;;) {
      const choice = await pickOne<'keep' | 'swap'>(
        `${title(1)}: ${vscode.l10n.t('frame order')}`,
        [
          { value: 'keep', label: `$(check) ${vscode.l10n.t('First: {0} → Last: {1}', path.basename(first.fsPath), path.basename(last.fsPath))}`, detail: vscode.l10n.t('Continue with this order') },
          { value: 'swap', label: `$(arrow-swap) ${vscode.l10n.t('Swap first and last frame')}` },
        ],
        'keep',
      );
      if (choice === undefined) return undefined;
      if (choice === 'keep') return { firstImage: first, lastImage: last };
      [first, last] = [last, first];
    }
  };
  return flow.runInteractive('interpolate', confirmOrder);
}

/** Generate Video from References…: one to five images in images[]. */
export async function referencesToVideo(flow: GenerationFlow, clicked?: unknown, selected?: unknown): Promise<ScriptedResult | undefined> {
  if (isOptionsObject(clicked)) return flow.runScripted(clicked);
  const files = await chooseFiles(clicked, selected, 'image', true, vscode.l10n.t('Choose up to {0} reference images', MAX_REFERENCE_IMAGES));
  if (!files?.length) return undefined;
  return flow.runInteractive('references', { images: files }); // six or more are refused before anything is read
}

/** Edit or Extend Video…: a clip in `video`. */
export async function editVideo(flow: GenerationFlow, clicked?: unknown, selected?: unknown): Promise<ScriptedResult | undefined> {
  if (isOptionsObject(clicked)) return flow.runScripted(clicked);
  const files = await chooseFiles(clicked, selected, 'video', false, vscode.l10n.t('Choose the clip to edit or extend'));
  if (!files?.length) return undefined;
  const clip = clicked instanceof vscode.Uri ? clicked : files[0];
  return flow.runInteractive('video', { video: clip });
}

/**
 * Omni Video: Generate Video from Selection — the selected text is the prompt. Interactively it can be
 * edited before sending; with an options object (no `prompt`) nothing is asked.
 */
export async function generateFromSelection(flow: GenerationFlow, options?: unknown): Promise<ScriptedResult | undefined> {
  const scripted = options !== undefined && options !== null;
  if (scripted && (typeof options !== 'object' || Array.isArray(options) || 'prompt' in options)) {
    throw new Error(vscode.l10n.t('omniVideo.generateFromSelection takes an options object without "prompt": the selection is the prompt.'));
  }
  const editor = vscode.window.activeTextEditor;
  const selected = editor?.selections
    .map((selection) => editor.document.getText(selection))
    .filter((text) => text.trim() !== '')
    .join('\n')
    .trim() ?? '';
  const length = Array.from(selected).length;
  const problem = !selected
    ? vscode.l10n.t('Omni Video: select the text to use as the prompt first.')
    : length > MAX_PROMPT_CHARS
      ? vscode.l10n.t('Omni Video: the selection is {0} characters long; a prompt can have at most {1}. Select less text.', length, MAX_PROMPT_CHARS)
      : undefined;
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    if (scripted) throw new Error(problem);
    return undefined;
  }
  if (!scripted) return flow.runInteractive('text', {}, { initialPrompt: selected });
  return flow.runScripted({ ...(options as object), prompt: selected });
}
