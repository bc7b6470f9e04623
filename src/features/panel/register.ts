import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { Logger } from '../../core/common/logger';
import type { JobStore } from '../../core/jobs/jobStore';
import { recordedPathToUri } from '../../generation/mediaRefs';
import type { GenerationFlow } from '../../generation/generationFlow';
import { PANEL_VIEW_TYPE } from '../../shared/ids';
import { SingletonPanel } from '../../webview/singletonPanel';
import { GenerationPanel, type PanelSeed } from './generationPanel';
import { registerCommands } from '../../host/commands';

/** What other features may do with the panel: open it with media in it. */
export interface PanelFeature extends vscode.Disposable {
  open(seed?: PanelSeed): void;
}

/** The generation panel: `omniVideo.openPanel` and its panel, restored after a reload. */
export function registerPanel(context: vscode.ExtensionContext, flow: GenerationFlow, store: JobStore, logger: Logger): PanelFeature {
  const panels = new SingletonPanel(PANEL_VIEW_TYPE, () => vscode.l10n.t('Generate Video'), context.extensionUri, (panel, state) => new GenerationPanel(panel, context.extensionUri, flow, logger, state));
  const open = (seed: PanelSeed = {}) => panels.open().seed(seed);
  return Object.assign(
    vscode.Disposable.from(
      panels,
      registerCommands({ 'omniVideo.openPanel': () => void open(), 'omniVideo.editJobInPanel': (arg) => editJob(store, open, arg) }),
    ),
    { open },
  );
}

/**
 * Edit Prompt and Regenerate, Replace Image: the panel with a job's request in it (its prompt, and the
 * media it recorded that are still in the workspace), to change and generate again (billed again).
 */
function editJob(store: JobStore, open: (seed: PanelSeed) => void, arg: unknown): void {
  const id = typeof arg === 'string' ? arg : (arg as { id?: unknown } | undefined)?.id;
  const job = typeof id === 'string' ? store.get(id) : undefined;
  if (!job) return void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: that job is no longer in the list.'));
  const file = (value: unknown) => {
    const uri = typeof value === 'string' && !value.startsWith('data:') ? recordedPathToUri(value) : undefined;
    return uri && existsSync(uri.fsPath) ? uri : undefined;
  };
  const request = job.request;
  const images = Array.isArray(request.images) ? request.images.map(file).filter((u): u is vscode.Uri => u !== undefined) : undefined;
  open({ prompt: job.prompt, slots: { firstImage: file(request.first_image_url), lastImage: file(request.last_image_url), images, video: file(request.video) } });
}
