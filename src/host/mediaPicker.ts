import * as vscode from 'vscode';
import { IMAGE_EXTENSIONS, VIDEO_EXTENSIONS } from '../shared/ids';

/** The open dialog for images or videos, starting in the first workspace folder; undefined when cancelled. */
export function pickMediaFiles(kind: 'image' | 'video', options: { many: boolean; title?: string; openLabel?: string }): Thenable<vscode.Uri[] | undefined> {
  return vscode.window.showOpenDialog({
    title: options.title,
    canSelectMany: options.many,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: kind === 'image' ? { [vscode.l10n.t('Images')]: [...IMAGE_EXTENSIONS] } : { [vscode.l10n.t('Videos')]: [...VIDEO_EXTENSIONS] },
    openLabel: options.openLabel ?? vscode.l10n.t('Use'),
  });
}
