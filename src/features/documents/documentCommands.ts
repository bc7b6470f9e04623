import * as path from 'node:path';
import * as vscode from 'vscode';
import { videoReference } from '../../core/common/documentReference';
import type { JobStore } from '../../core/jobs/jobStore';
import { MAX_PROMPT_CHARS } from '../../core/api/schemas';
import { shortPrompt } from '../../api/jobSnapshot';
import type { PreviewPanels } from '../preview/previewPanels';
import type { GenerationFlow } from '../../generation/generationFlow';
import { videoFrom } from '../../generation/videoArgument';

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

async function pickSavedVideo(store: JobStore, previews: PreviewPanels): Promise<vscode.Uri | undefined> {
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
export async function insertIntoDocument(store: JobStore, previews: PreviewPanels, editors: LastTextEditor, arg?: unknown): Promise<string | undefined> {
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

/**
 * Omni Video: Generate Video from Selection — the selected text is the prompt. Interactively it can be
 * edited before sending; with an options object (no `prompt`) nothing is asked.
 */
export async function generateFromSelection(flow: GenerationFlow, options?: unknown): Promise<string | undefined> {
  const scripted = options !== undefined && options !== null;
  if (scripted && (typeof options !== 'object' || Array.isArray(options) || 'prompt' in options)) {
    throw new Error(vscode.l10n.t('omniVideo.generateFromSelection takes an options object without "prompt": the selection is the prompt.'));
  }
  const editor = vscode.window.activeTextEditor;
  const selected = editor?.selections
    .map((selection) => editor.document.getText(selection))
    .filter((text) => text.trim() !== '')
    .join('\n')
    .trim();
  if (!selected) {
    const message = vscode.l10n.t('Omni Video: select the text to use as the prompt first.');
    void vscode.window.showErrorMessage(message);
    if (scripted) throw new Error(message);
    return undefined;
  }
  const length = Array.from(selected).length;
  if (length > MAX_PROMPT_CHARS) {
    const message = vscode.l10n.t('Omni Video: the selection is {0} characters long; a prompt can have at most {1}. Select less text.', length, MAX_PROMPT_CHARS);
    void vscode.window.showErrorMessage(message);
    if (scripted) throw new Error(message);
    return undefined;
  }
  if (!scripted) return flow.runInteractive('text', {}, { initialPrompt: selected });
  return flow.runScripted({ ...(options as object), prompt: selected });
}
