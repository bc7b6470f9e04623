import * as vscode from 'vscode';
import type { JobManager } from '../../core/jobs/jobManager';
import type { ApiKeyStore } from '../../host/apiKeyStore';
import { clearApiKey, setApiKey } from './apiKeyCommands';
import { registerCommands } from '../../host/commands';

/** Set API Key / Clear API Key, and the context key `omniVideo.hasApiKey`. */
export function registerApiKey(keys: ApiKeyStore, manager: JobManager): vscode.Disposable {
  return vscode.Disposable.from(
    keys.publishContextKey(),
    keys.onDidChange(() => manager.resumeAfterAuthChange()),
    registerCommands({ 'omniVideo.setApiKey': (token) => setApiKey(keys, manager, token), 'omniVideo.clearApiKey': () => clearApiKey(keys) }),
  );
}
