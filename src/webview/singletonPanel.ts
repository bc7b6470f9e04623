import * as vscode from 'vscode';
import { webviewOptions, workspaceRoots } from './webviewHtml';

/**
 * A webview of which there is at most one (the generation panel, the gallery): `open()` reveals it
 * or creates it, and after a reload the serializer restores it with its saved state (a second
 * restored panel is closed). Its host (`H`) is made by `create` for each panel and ends with it.
 */
export class SingletonPanel<H extends vscode.Disposable & { readonly panel: vscode.WebviewPanel }> implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private host: H | undefined;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly viewType: string,
    private readonly title: () => string,
    private readonly extensionUri: vscode.Uri,
    private readonly create: (panel: vscode.WebviewPanel, savedState: unknown) => H,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(viewType, this);
  }

  /** The open host, if any. */
  get current(): H | undefined {
    return this.host;
  }

  /** Reveals the panel, or creates it; resolves to its host. */
  open(): H {
    if (this.host) {
      this.host.panel.reveal();
      return this.host;
    }
    const panel = vscode.window.createWebviewPanel(this.viewType, this.title(), vscode.ViewColumn.Active, webviewOptions(this.extensionUri, workspaceRoots()));
    return this.attach(panel, undefined);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.host) {
      panel.dispose(); // one panel
      return;
    }
    // Set the options again: the saved ones may point at an old extension path.
    panel.webview.options = webviewOptions(this.extensionUri, workspaceRoots());
    this.attach(panel, state);
  }

  private attach(panel: vscode.WebviewPanel, state: unknown): H {
    const host = this.create(panel, state);
    this.host = host;
    panel.onDidDispose(() => {
      if (this.host === host) this.host = undefined;
    });
    return host;
  }

  dispose(): void {
    this.registration.dispose();
    this.host?.panel.dispose();
  }
}
