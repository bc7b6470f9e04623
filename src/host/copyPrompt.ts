import * as vscode from 'vscode';

/** Copies a prompt and says so in the status bar (the jobs view, the preview and the gallery). */
export async function copyPrompt(prompt: string): Promise<void> {
  await vscode.env.clipboard.writeText(prompt);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Prompt copied'), 2000);
}
