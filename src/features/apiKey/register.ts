import * as vscode from 'vscode';
import type { JobManager } from '../../core/jobs/jobManager';
import type { ApiKeyStore } from '../../host/apiKeyStore';
import { clearApiKey, setApiKey } from './apiKeyCommands';

/** Set API Key / Clear API Key, and the context key `omniVideo.hasApiKey`. */
export function registerApiKey(keys: ApiKeyStore, manager: JobManager): vscode.Disposable {
  return vscode.Disposable.from(
    keys.publishContextKey(),
    keys.onDidChange(() => manager.resumeAfterAuthChange()),
    vscode.commands.registerCommand('omniVideo.setApiKey', (token?: unknown) => setApiKey(keys, manager, token)),
    vscode.commands.registerCommand('omniVideo.clearApiKey', () => clearApiKey(keys)),
  );
}
