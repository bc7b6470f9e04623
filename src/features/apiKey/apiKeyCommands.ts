import * as vscode from 'vscode';
import { API_KEY_ENV, validateApiKey, type ApiKeyStore } from '../../host/apiKeyStore';
import { readSettings } from '../../host/settings';
import type { JobManager } from '../../core/jobs/jobManager';

/** Omni Video: Set API Key — takes the token as an optional argument (no UI then). */
export async function setApiKey(keys: ApiKeyStore, manager: JobManager, token?: unknown): Promise<boolean> {
  if (token !== undefined && token !== null) {
    const problem = typeof token === 'string' ? validateApiKey(token) : vscode.l10n.t('The key must be text.');
    if (problem) throw new Error(problem);
    await keys.set(token as string);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Omni Video: API key saved'), 3000);
  } else if (!(await keys.prompt())) {
    return false;
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t("Omni Video: the API key is saved in VS Code's secret storage, never in settings. It is sent only to {0}.", new URL(readSettings().baseUrl).host));
  }
  manager.resumeAfterAuthChange();
  return true;
}

/** Omni Video: Clear API Key. */
export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  const fromEnvironment = process.env[API_KEY_ENV]?.trim();
  void vscode.window.showInformationMessage(
    fromEnvironment
      ? vscode.l10n.t('Omni Video: the API key is removed from the secret storage. The key from the environment variable {0} is still used.', API_KEY_ENV)
      : vscode.l10n.t('Omni Video: the API key is removed from the secret storage.'),
  );
}
