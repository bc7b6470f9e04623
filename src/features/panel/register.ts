import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { GenerationFlow } from '../../generation/generationFlow';
import { PANEL_VIEW_TYPE } from '../../shared/ids';
import { SingletonPanel } from '../../webview/singletonPanel';
import { GenerationPanel, type PanelSeed } from './generationPanel';

/** What other features may do with the panel: open it with media in it. */
export interface PanelFeature extends vscode.Disposable {
  open(seed?: PanelSeed): void;
}

/** The generation panel: `omniVideo.openPanel` and its panel, restored after a reload. */
export function registerPanel(context: vscode.ExtensionContext, flow: GenerationFlow, logger: Logger): PanelFeature {
  const panels = new SingletonPanel(PANEL_VIEW_TYPE, () => vscode.l10n.t('Generate Video'), context.extensionUri, (panel, state) => new GenerationPanel(panel, context.extensionUri, flow, logger, state));
  const open = (seed: PanelSeed = {}) => panels.open().seed(seed);
  return Object.assign(vscode.Disposable.from(panels, vscode.commands.registerCommand('omniVideo.openPanel', () => void open())), { open });
}
