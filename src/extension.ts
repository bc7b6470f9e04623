import * as vscode from 'vscode';
import { createPublicApi, type OmniVideoApi } from './api/publicApi';
import { useTranslator } from './core/common/l10n';
import { JobManager } from './core/jobs/jobManager';
import type { JobRecord } from './core/jobs/jobModel';
import { JobStore } from './core/jobs/jobStore';
import { UsageLedger } from './core/jobs/usageLedger';
import { registerApiKey } from './features/apiKey/register';
import { registerChain } from './features/chain/register';
import { registerDocuments } from './features/documents/register';
import { registerGallery } from './features/gallery/register';
import { registerGenerate } from './features/generate/register';
import { registerJobs } from './features/jobs/register';
import { registerPanel } from './features/panel/register';
import { registerPreview } from './features/preview/register';
import { registerStoryboard } from './features/storyboard/register';
import { registerUsage } from './features/usage/register';
import { GenerationFlow } from './generation/generationFlow';
import { GenerationService } from './generation/generationService';
import { RequestDocuments } from './generation/requestDocuments';
import { ApiKeyStore } from './host/apiKeyStore';
import { onDidRunCommand } from './host/commands';
import { apiClientFactory } from './host/network';
import { registerLiveObjects } from './webview/liveObjects';
import { cacheSettings, readSettings } from './host/settings';
import { showError } from './host/showError';
import { WalkthroughProgress } from './host/walkthroughProgress';

/** Set by the bundle's first line (esbuild.mjs); undefined when run from sources. */
declare const __omniVideoLoadStart: number | undefined;

/** Wiring only: the services, then each feature (docs/architecture.md). */
export function activate(context: vscode.ExtensionContext): OmniVideoApi {
  const activateStart = performance.now();
  const activateCpu = process.cpuUsage();
  useTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const log = vscode.window.createOutputChannel('Omni Video', { log: true });
  const keys = new ApiKeyStore(context.secrets, context.globalState);
  const walkthrough = new WalkthroughProgress(context.globalState, context.extension.id, log);
  const store = new JobStore(context.workspaceState, log);
  const clients = apiClientFactory(keys, log, context.extension.packageJSON.version);
  const finished = new vscode.EventEmitter<JobRecord>();
  const ledger = new UsageLedger(context.globalState, log);
  const manager = new JobManager({
    client: clients.client,
    store,
    logger: log,
    pollIntervalMs: () => readSettings().pollIntervalSeconds * 1000,
    onAuthRequired: (error) => showError(error),
    onJobFinished: (job) => finished.fire(job),
    ledger,
    dailyLimit: () => readSettings().dailyLimit,
  });
  const service = new GenerationService(manager, keys, log);
  const requests = new RequestDocuments();
  const flow = new GenerationFlow(service, context.workspaceState, context.globalState, requests);
  const previews = registerPreview(context, store, log);
  const panel = registerPanel(context, flow, store, log);
  const storyboards = registerStoryboard({ context, store, service, frames: previews, show: (file) => previews.show(file), logger: log });
  context.subscriptions.push(
    cacheSettings(),
    onDidRunCommand((id) => walkthrough.ran(id)),
    log,
    keys,
    clients,
    finished,
    requests,
    { dispose: () => manager.dispose() },
    previews,
    panel,
    storyboards,
    registerJobs(manager, flow, finished.event, previews, storyboards),
    registerGenerate(flow),
    registerApiKey(keys, manager),
    registerDocuments(store, previews),
    registerChain({ frames: previews, panel, flow, store, logger: log }),
    registerGallery(context, store, log),
    registerUsage(context, ledger, log),
    registerLiveObjects(store),
  );
  manager.resume();
  const api = createPublicApi(manager, service, ledger, storyboards, context.subscriptions);
  const loaded = typeof __omniVideoLoadStart === 'number' ? ` (the bundle evaluated in ${(activateStart - __omniVideoLoadStart).toFixed(1)} ms before it)` : '';
  const cpu = process.cpuUsage(activateCpu);
  log.info(`activate() took ${(performance.now() - activateStart).toFixed(1)} ms, ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms of CPU${loaded}`);
  return api;
}

export function deactivate(): void {}
