// Files the suite puts into the test workspace: fixtures copied in, files written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** test/fixtures of the repository (the suite runs from out/test/suite). */
export const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

export function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, relative);
}

/** Copies test/fixtures/`name` to `relative` in the workspace (folders created). */
export function copyFixture(name: string, relative: string): vscode.Uri {
  return writeWorkspaceFile(relative, fs.readFileSync(path.join(fixtures, name)));
}

export function writeWorkspaceFile(relative: string, content: Buffer | string): vscode.Uri {
  const uri = workspaceFile(relative);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, content);
  return uri;
}

/**
 * For a suite that opens its own editors: no preview opens by itself when a job is saved
 * (omniVideo.openPreviewOnComplete off in the user settings), so none lands on top of what the suite
 * looks at. Call in `before`; the returned function, in `after`, puts the setting back.
 */
export async function withoutPreviewOnComplete(): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('omniVideo');
  const before = config.inspect<boolean>('openPreviewOnComplete')?.globalValue;
  await config.update('openPreviewOnComplete', false, vscode.ConfigurationTarget.Global);
  return async () => {
    await vscode.workspace.getConfiguration('omniVideo').update('openPreviewOnComplete', before, vscode.ConfigurationTarget.Global);
  };
}

/** A storyboard's text: front matter, a title, and a shot per heading and prose. */
export function boardText(title: string, shots: readonly (readonly [string, string])[], frontMatter = 'seconds: "4"'): string {
  return ['---', 'omniVideo: storyboard', frontMatter, '---', `# ${title}`, '', ...shots.flatMap(([heading, prose]) => [`## ${heading}`, prose, ''])].join('\n');
}
