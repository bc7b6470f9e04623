import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The options of every Omni Video webview: scripts on, rebuilt when hidden (no retained context), and
 * resources only from `roots` (the folders its media are in) and the extension's own webview files.
 */
export function webviewOptions(extensionUri: vscode.Uri, roots: readonly vscode.Uri[]): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [...roots, vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The workspace folders: where the generation panel's media and the gallery's videos are. */
export const workspaceRoots = (): vscode.Uri[] => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);

/**
 * The page every Omni Video webview loads: a strict CSP (scripts only with this page's nonce, media,
 * images and styles only from the webview's own resource origin), the shared media/webview.css and the
 * page's own stylesheet, one script from `dist/media/`, and an empty `<main id="root">` the script fills.
 */
/** A webview's page: its script in dist/media/, its stylesheet in media/, its title; `live` announces changes. */
export interface WebviewPage {
  script: string;
  style: string;
  title: string;
  live?: boolean;
  /** Images the page makes itself (`blob:` URLs, e.g. the gallery's posters) may be shown. */
  blobImages?: boolean;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', page.script));
  const common = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', page.style));
  const lang = vscode.env.language.replace(/[^a-zA-Z-]/g, '');
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}${page.blobImages ? ' blob:' : ''}; media-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${common.toString()}">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="root"${page.live ? ' aria-live="polite"' : ''}></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
