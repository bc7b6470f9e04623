import * as vscode from 'vscode';
import type { AspectRatio } from '../core/api/schemas';
import { billedGenerationsText, needsConfirmation } from '../core/jobs/costGuard';
import { readSettings } from '../host/settings';

/**
 * Asks once before an interactive action that bills `count` generations, when the cost guard says so
 * (`omniVideo.confirmAbove`); names the count and, with a price set, the estimate. `what` says what
 * is generated ("3 shots of harbour.md"). Resolves true to go on.
 */
export async function confirmBilling(count: number, what: string): Promise<boolean> {
  const settings = readSettings();
  if (!needsConfirmation(count, settings.confirmAbove)) return true;
  const generate = vscode.l10n.t('Generate');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Generate {0}?', what),
    { modal: true, detail: vscode.l10n.t('This bills {0}. Each generation the server accepts is billed, even if it fails later.', billedGenerationsText(count, settings.pricePerGeneration ?? undefined, vscode.env.language)) },
    generate,
  );
  return answer === generate;
}

const NOTES_SHOWN = 'omniVideo.preflightNotesShown';

/**
 * What the API documentation says about a choice that a user could take for a promise: shown once per
 * choice (remembered in global state), as a notice that does not stop anything.
 */
export function showPreflightNotes(globalState: vscode.Memento, choice: { aspectRatio: AspectRatio }): void {
  const notes: [string, () => string][] = [
    ['duration', () => vscode.l10n.t('The server may return a different duration than the one asked for; the preview shows how long the saved file really is.')],
  ];
  const ratioNote = aspectRatioNote(choice.aspectRatio);
  if (ratioNote) notes.push([choice.aspectRatio, () => ratioNote]);
  const shown = new Set(globalState.get<string[]>(NOTES_SHOWN, []));
  const fresh = notes.filter(([id]) => !shown.has(id));
  if (!fresh.length) return;
  void globalState.update(NOTES_SHOWN, [...shown, ...fresh.map(([id]) => id)]);
  void vscode.window.showInformationMessage(vscode.l10n.t('Omni Video: {0}', fresh.map(([, text]) => text()).join(' ')));
}

/** What an aspect ratio really gives, for those that are not what they seem (docs/api.md); undefined for 16:9 and 9:16. */
export function aspectRatioNote(ratio: string): string | undefined {
  if (ratio === '1:1') return vscode.l10n.t('1:1 is accepted, but the video lands on the landscape or portrait tier: it is not guaranteed to be square.');
  if (ratio === '4:3') return vscode.l10n.t('4:3 lands on the landscape tier (1280×720).');
  if (ratio === '3:4') return vscode.l10n.t('3:4 lands on the portrait tier (720×1280).');
  return undefined;
}
