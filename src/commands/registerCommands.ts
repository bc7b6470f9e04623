import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKeyStore';
import type { JobManager } from '../core/jobManager';
import type { GenerationService } from '../generationService';
import type { PreviewPanels } from '../ui/previewPanel';
import { clearApiKey, setApiKey } from './apiKeyCommands';
import { GenerateCommand } from './generateCommand';
import { copyJobPrompt, openPreview, revealJobFile, showJobs, stopTrackingJob } from './jobCommands';

export interface CommandDependencies {
  context: vscode.ExtensionContext;
  manager: JobManager;
  keys: ApiKeyStore;
  service: GenerationService;
  previews: PreviewPanels;
}

/** Every command the extension contributes, registered in one place. */
export function registerCommands({ context, manager, keys, service, previews }: CommandDependencies): vscode.Disposable[] {
  const generate = new GenerateCommand(service, context.workspaceState, context.globalState);
  const store = manager.store;
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'omniVideo.generate': (args) => generate.run(args),
    'omniVideo.setApiKey': (token) => setApiKey(keys, manager, token),
    'omniVideo.clearApiKey': () => clearApiKey(keys),
    'omniVideo.showJobs': () => showJobs(),
    'omniVideo.openPreview': (arg) => openPreview(previews, store, arg),
    'omniVideo.revealJobFile': (arg) => revealJobFile(store, arg),
    'omniVideo.copyJobPrompt': (arg) => copyJobPrompt(store, arg),
    'omniVideo.stopTrackingJob': (arg) => stopTrackingJob(store, arg),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
