import * as vscode from 'vscode';
import { ApiKeyStore } from './host/apiKeyStore';
import { registerCommands } from './features/registerCommands';
import { showError } from './host/showError';
import { JOBS_VIEW_ID } from './features/jobs/jobCommands';
import { OmniVideoClient } from './core/api/apiClient';
import { JobManager } from './core/jobs/jobManager';
import { JobStore } from './core/jobs/jobStore';
import { useTranslator } from './core/common/l10n';
import { playbackHostFromEnv } from './core/media/playability';
import { DispatcherCache } from './core/api/proxy';
import { readProxyConfig } from './host/proxySettings';
import { GenerationService } from './generation/generationService';
import { announceFinishedJob } from './features/jobs/notifications';
import { createPublicApi, type OmniVideoApi } from './api/publicApi';
import { readSettings } from './host/settings';
import { JobsTreeProvider } from './features/jobs/jobsTree';
import { PreviewPanels } from './features/preview/previewPanels';
import { JobsStatusBarItem } from './features/jobs/statusBar';
import { PREVIEW_VIEW_TYPE, VIDEO_EDITOR_VIEW_TYPE } from './shared/protocol';

/** Set by the bundle's first line (esbuild.mjs); undefined when run from sources. */
declare const __omniVideoLoadStart: number | undefined;

export function activate(context: vscode.ExtensionContext): OmniVideoApi {
  const activateStart = performance.now();
  useTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const log = vscode.window.createOutputChannel('Omni Video', { log: true });
  const keys = new ApiKeyStore(context.secrets, context.globalState);
  const store = new JobStore(context.workspaceState, log);
  const previews = new PreviewPanels(context.extensionUri, store, log, playbackHostFromEnv(vscode.env));
  const network = new DispatcherCache(readProxyConfig, process.env, (description) => log.info(`Network: ${description}`));
  const manager = new JobManager({
    client: () =>
      new OmniVideoClient({ baseUrl: readSettings().baseUrl, getToken: () => keys.get(), logger: log, dispatcher: network.get(), userAgent: `omni-video-vscode/${context.extension.packageJSON.version}` }),
    store,
    logger: log,
    pollIntervalMs: () => readSettings().pollIntervalSeconds * 1000,
    onAuthRequired: (error) => showError(error),
    onJobFinished: (job) => announceFinishedJob(job, previews),
  });
  const service = new GenerationService(manager, keys, log);
  const jobsTree = new JobsTreeProvider(store);
  context.subscriptions.push(
    log,
    keys,
    previews,
    { dispose: () => manager.dispose() },
    { dispose: () => void network.dispose() },
    jobsTree,
    new JobsStatusBarItem(store),
    vscode.window.createTreeView(JOBS_VIEW_ID, { treeDataProvider: jobsTree, showCollapseAll: false }),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, previews),
    vscode.window.registerCustomEditorProvider(VIDEO_EDITOR_VIEW_TYPE, previews, { supportsMultipleEditorsPerDocument: true }),
    keys.onDidChange(() => manager.resumeAfterAuthChange()),
    keys.publishContextKey(),
    ...registerCommands({ context, manager, keys, service, previews, logger: log }),
  );
  manager.resume();
  const api = createPublicApi(manager, service, context.subscriptions);
  const loaded = typeof __omniVideoLoadStart === 'number' ? ` (the bundle evaluated in ${(activateStart - __omniVideoLoadStart).toFixed(1)} ms before it)` : '';
  log.info(`activate() took ${(performance.now() - activateStart).toFixed(1)} ms${loaded}`);
  return api;
}

export function deactivate(): void {}
