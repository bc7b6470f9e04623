import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import type { UsageLedger } from '../../core/jobs/usageLedger';
import { USAGE_VIEW_TYPE } from '../../shared/ids';
import { SingletonPanel } from '../../webview/singletonPanel';
import { UsageView } from './usageView';
import { registerCommands } from '../../host/commands';

/** Show Usage: the billed generations, from the usage ledger (global state, every workspace). */
export function registerUsage(context: vscode.ExtensionContext, ledger: UsageLedger, logger: Logger): vscode.Disposable {
  const usage = new SingletonPanel(USAGE_VIEW_TYPE, () => vscode.l10n.t('Omni Video Usage'), context.extensionUri, (panel) => new UsageView(panel, context.extensionUri, ledger, logger));
  return vscode.Disposable.from(
    usage,
    registerCommands({
      'omniVideo.showUsage': () => {
        const wasOpen = usage.current !== undefined;
        const view = usage.open();
        if (wasOpen) view.render();
      },
    }),
  );
}
