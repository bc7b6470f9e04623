import * as vscode from 'vscode';
import { validateApiKey, type ApiKeyStore } from '../../host/apiKeyStore';
import type { JobManager } from '../../core/jobs/jobManager';

/** Omni Video: Set API Key — takes the token as an optional argument (no UI then). */
export async function setApiKey(keys: ApiKeyStore, manager: JobManager, token?: unknown): Promise<boolean> {
  if (token !== undefined && token !== null) {
    const problem = typeof token === 'string' ? validateApiKey(token) : vscode.l10n.t('The key must be text.');
    if (problem) throw new Error(problem);
    await keys.set(token as string);
  } else if (!(await keys.prompt())) {
    return false;
  } else {
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Omni Video: API key saved'), 3000);
  }
  manager.resumeAfterAuthChange();
  return true;
}

/** Omni Video: Clear API Key. */
export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Omni Video: API key removed'), 3000);
}
