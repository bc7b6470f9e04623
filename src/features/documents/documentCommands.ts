import * as path from 'node:path';
import * as vscode from 'vscode';
import { videoReference } from '../../core/common/documentReference';
import type { JobStore } from '../../core/jobs/jobStore';
import { shortPrompt } from '../../core/jobs/jobLabels';
import { videoFrom } from '../../generation/videoArgument';

/** The video of the preview in front, offered first when no video was given. */
export interface ActivePreview {
  readonly activeFile: vscode.Uri | undefined;
}

/**
 * The text editor the user was last in. A preview or the jobs view takes focus away from it, so
 * "Insert into Document" clicked there still knows which document was meant.
 */
export class LastTextEditor implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor && (editor.document.uri.scheme === 'file' || editor.document.uri.scheme === 'untitled')) this.last = editor;
  });

  /** The active text editor, else the last one whose document is still open. */
  async get(): Promise<vscode.TextEditor | undefined> {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    const last = this.last;
    if (!last || last.document.isClosed) return undefined;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === last.document);
    return visible ?? vscode.window.showTextDocument(last.document, { preview: false });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

async function pickSavedVideo(store: JobStore, previews: ActivePreview): Promise<vscode.Uri | undefined> {
  const saved = store.list().filter((job) => job.phase === 'saved' && job.file);
  const items = saved.map((job) => ({ label: shortPrompt(job.prompt, 70), description: path.basename(job.file!), file: job.file! }));
  const previewed = previews.activeFile;
  if (previewed && !items.some((i) => i.file === previewed.fsPath)) items.unshift({ label: path.basename(previewed.fsPath), description: '', file: previewed.fsPath });
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Omni Video: there is no saved video to insert yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Insert which video?'), matchOnDescription: true });
  return picked && vscode.Uri.file(picked.file);
}

/**
 * Omni Video: Insert into Document — a reference to a saved video at the cursor of the document the
 * user was in. Resolves to the inserted text (undefined when nothing was inserted).
 */
export async function insertIntoDocument(store: JobStore, previews: ActivePreview, editors: LastTextEditor, arg?: unknown): Promise<string | undefined> {
  const editor = await editors.get();
  if (!editor) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: open the document to insert the video into (Markdown, HTML or any text file) first.'));
    return undefined;
  }
  const video = arg === undefined ? await pickSavedVideo(store, previews) : videoFrom(store, arg);
  if (!video) {
    if (arg !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: no saved video was given to insert.'));
    return undefined;
  }
  const document = editor.document;
  const base = document.isUntitled ? path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(video.fsPath), 'untitled') : document.uri.fsPath;
  const text = videoReference(video.fsPath, base, document.languageId);
  const ok = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, text);
  });
  if (!ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: the document could not be edited (is it read-only?).'));
    return undefined;
  }
  await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preserveFocus: false });
  return text;
}
