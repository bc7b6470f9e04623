import * as vscode from 'vscode';
import type { RequestPreview } from '../core/api/requestPreview';

const SCHEME = 'omni-video-request';

/**
 * Preview Request: the exact request Generate would send, as a read-only JSON document (a virtual
 * document that can be read and copied, never saved, and that nothing sends).
 */
export class RequestDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 1;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  async show(preview: RequestPreview): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${vscode.l10n.t('request')}-${this.next++}.json` });
    // The method and URL come first, as a request line would; then the body exactly as it would be sent.
    this.texts.set(uri.path, JSON.stringify({ method: preview.method, url: preview.url, body: preview.body }, null, 2) + '\n');
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    return vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
