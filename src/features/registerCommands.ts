import * as vscode from 'vscode';
import type { ApiKeyStore } from '../host/apiKeyStore';
import type { JobManager } from '../core/jobs/jobManager';
import type { GenerationService } from '../generation/generationService';
import type { Logger } from '../core/common/logger';
import { PANEL_VIEW_TYPE } from '../shared/panelProtocol';
import { GALLERY_VIEW_TYPE } from '../shared/galleryProtocol';
import { GalleryPanel } from './gallery/galleryPanel';
import { GenerationPanel } from './panel/generationPanel';
import type { PreviewPanels } from './preview/previewPanels';
import { clearApiKey, setApiKey } from './apiKey/apiKeyCommands';
import { continueFromLastFrame, useAsReference } from './chain/chainCommands';
import { LastTextEditor, generateFromSelection, insertIntoDocument } from './documents/documentCommands';
import { GenerationFlow } from '../generation/generationFlow';
import { editVideo, imageToVideo, interpolate, referencesToVideo } from './generate/mediaCommands';
import { clearFinishedJobs, copyJobPrompt, openPreview, regenerateJob, retryJob, removeJob, revealJobFile, showJobs, stopTrackingJob } from './jobs/jobCommands';

export interface CommandDependencies {
  context: vscode.ExtensionContext;
  manager: JobManager;
  keys: ApiKeyStore;
  service: GenerationService;
  previews: PreviewPanels;
  logger: Logger;
}

/** Every command the extension contributes, registered in one place. */
export function registerCommands({ context, manager, keys, service, previews, logger }: CommandDependencies): vscode.Disposable[] {
  const flow = new GenerationFlow(service, context.workspaceState, context.globalState);
  const panel = new GenerationPanel(context.extensionUri, flow, logger);
  const store = manager.store;
  const gallery = new GalleryPanel(context.extensionUri, store, logger);
  const editors = new LastTextEditor();
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'omniVideo.generate': (args) => (args === undefined || args === null ? flow.runInteractive('text', {}) : flow.runScripted(args)),
    'omniVideo.imageToVideo': (clicked, selected) => imageToVideo(flow, clicked, selected),
    'omniVideo.interpolate': (clicked, selected) => interpolate(flow, clicked, selected),
    'omniVideo.referencesToVideo': (clicked, selected) => referencesToVideo(flow, clicked, selected),
    'omniVideo.editVideo': (clicked, selected) => editVideo(flow, clicked, selected),
    'omniVideo.setApiKey': (token) => setApiKey(keys, manager, token),
    'omniVideo.clearApiKey': () => clearApiKey(keys),
    'omniVideo.showJobs': () => showJobs(),
    'omniVideo.openPreview': (arg) => openPreview(previews, store, arg),
    'omniVideo.revealJobFile': (arg) => revealJobFile(store, arg),
    'omniVideo.copyJobPrompt': (arg) => copyJobPrompt(store, arg),
    'omniVideo.stopTrackingJob': (arg) => stopTrackingJob(store, arg),
    'omniVideo.removeJob': (arg) => removeJob(store, arg),
    'omniVideo.retryJob': (arg) => retryJob(manager, arg),
    'omniVideo.regenerateJob': (arg) => regenerateJob(store, flow, arg),
    'omniVideo.clearFinishedJobs': () => clearFinishedJobs(store),
    'omniVideo.generateFromSelection': (options) => generateFromSelection(flow, options),
    'omniVideo.insertIntoDocument': (video) => insertIntoDocument(store, previews, editors, video),
    'omniVideo.openPanel': () => void panel.open(),
    'omniVideo.continueFromLastFrame': (video, options) => continueFromLastFrame({ previews, flow, store, logger }, video, options),
    'omniVideo.useAsReference': (file) => useAsReference(panel, store, file),
    'omniVideo.openGallery': async () => void (await gallery.open()),
  };
  return [
    editors,
    panel,
    gallery,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panel),
    vscode.window.registerWebviewPanelSerializer(GALLERY_VIEW_TYPE, gallery),
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
  ];
}
