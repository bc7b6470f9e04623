import * as path from 'node:path';
import * as vscode from 'vscode';
import { OmniVideoError } from '../../core/common/errors';
import { PREVIEW_VIEW_TYPE } from '../../shared/ids';
import { previewStateSchema } from '../../shared/protocol';
import { webviewOptions } from '../../webview/webviewHtml';
import { FailedJobPreview } from './failedJobPreview';
import { PreviewSession, type PreviewContext } from './previewSession';

/**
 * Plays videos in webviews: the preview panel of `omniVideo.openPreview` (one per file, restored after
 * a reload by the serializer) and the custom editor `omniVideo.videoPreview` ("Open With…", restored by
 * VS Code). Both are the same PreviewSession. The video is loaded with `asWebviewUri`, never inlined.
 */
export class PreviewPanels implements vscode.WebviewPanelSerializer, vscode.CustomReadonlyEditorProvider, vscode.Disposable {
  private readonly panels = new Map<string, PreviewSession>();
  private readonly editors = new Set<PreviewSession>();
  private readonly failed = new Map<string, FailedJobPreview>();
  private readonly context: PreviewContext;

  constructor(context: Omit<PreviewContext, 'show'>) {
    this.context = { ...context, show: (file) => this.show(file) };
  }

  /** Opens (or reveals) the preview of a video file. */
  async show(file: vscode.Uri, options: { preserveFocus?: boolean; beside?: boolean } = {}): Promise<vscode.WebviewPanel> {
    const existing = this.panels.get(file.fsPath);
    if (existing) {
      existing.panel.reveal(undefined, options.preserveFocus);
      void existing.refreshIfChanged();
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      path.basename(file.fsPath),
      { viewColumn: options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: options.preserveFocus },
      this.options(file),
    );
    await this.attach(panel, file);
    return panel;
  }

  /** Opens (or reveals) the preview of a job the server failed. */
  showFailedJob(id: string): void {
    const existing = this.failed.get(id);
    if (existing) return existing.panel.reveal();
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, vscode.l10n.t('Failed'), vscode.ViewColumn.Active, webviewOptions(this.context.extensionUri, []));
    this.attachFailed(panel, id);
  }

  private attachFailed(panel: vscode.WebviewPanel, id: string): void {
    const preview = new FailedJobPreview(panel, id, this.context);
    this.failed.set(id, preview);
    panel.onDidDispose(() => this.failed.get(id) === preview && this.failed.delete(id));
  }

  /** The file of the active preview panel, for commands that act on "the video in front of me". */
  get activeFile(): vscode.Uri | undefined {
    for (const session of this.panels.values()) if (session.panel.active) return session.file;
    return undefined;
  }

  /** Whether a preview of `file` is open where it can be seen (a panel or custom editor in front in its group). */
  isShowing(file: vscode.Uri): boolean {
    return this.sessions.some((s) => s.file.fsPath === file.fsPath && s.panel.visible);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = previewStateSchema.safeParse(state);
    if (!parsed.success) {
      // The saved state can be missing (docs/decisions.md, "Restoring webviews"): nothing to restore.
      panel.dispose();
      return;
    }
    if (parsed.data.failedJob) {
      panel.webview.options = webviewOptions(this.context.extensionUri, []);
      return this.attachFailed(panel, parsed.data.file);
    }
    const file = vscode.Uri.file(parsed.data.file);
    // Set the options again: the saved ones may point at an old extension path.
    panel.webview.options = this.options(file);
    await this.attach(panel, file, parsed.data.currentTime);
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = this.options(document.uri);
    const session = new PreviewSession(panel, document.uri, this.context);
    this.editors.add(session);
    panel.onDidDispose(() => this.editors.delete(session));
    await session.open();
  }

  /**
   * A running preview of `file`: a visible panel or custom editor of it, else a hidden one brought to
   * the front (a hidden webview does not run), else a new panel beside the editor; focus stays where it is.
   */
  async readySession(file: vscode.Uri): Promise<PreviewSession> {
    const open = this.sessions.filter((s) => s.file.fsPath === file.fsPath);
    let session: PreviewSession | undefined = open.find((s) => s.panel.visible) ?? open[0];
    if (!session) {
      await this.show(file, { preserveFocus: true, beside: true });
      session = this.panels.get(file.fsPath);
    } else if (!session.panel.visible) {
      session.panel.reveal(undefined, true);
    }
    if (!session) throw new OmniVideoError('filesystem', vscode.l10n.t('Could not open a preview of {0}.', path.basename(file.fsPath)));
    await session.started(20_000);
    return session;
  }

  /** Every open preview (panels and custom editors), e.g. to read what they show in tests. */
  get sessions(): readonly PreviewSession[] {
    return [...this.panels.values(), ...this.editors];
  }

  dispose(): void {
    for (const session of [...this.sessions, ...this.failed.values()]) session.panel.dispose();
    this.panels.clear();
    this.editors.clear();
  }

  /** A preview may load the video's own folder (and the extension's webview files), nothing else. */
  private options(file: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return webviewOptions(this.context.extensionUri, [vscode.Uri.file(path.dirname(file.fsPath))]);
  }

  private async attach(panel: vscode.WebviewPanel, file: vscode.Uri, startAt?: number): Promise<void> {
    const session = new PreviewSession(panel, file, this.context, startAt);
    this.panels.set(file.fsPath, session);
    panel.onDidDispose(() => {
      if (this.panels.get(file.fsPath) === session) this.panels.delete(file.fsPath);
    });
    await session.open();
  }
}
