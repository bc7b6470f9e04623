import * as vscode from 'vscode';
import { OmniVideoError, describeError } from '../core/common/errors';
import { inertMessageText } from '../core/common/messageText';

/** Shows an error with the action that fixes it. Returns at once; the action runs when clicked. */
export function showError(error: unknown): void {
  const message = inertMessageText(describeError(error));
  if (error instanceof OmniVideoError && error.kind === 'cancelled') return;
  const actions: { title: string; command: string; args?: unknown[] }[] = [];
  if (error instanceof OmniVideoError) {
    if (error.kind === 'auth') actions.push({ title: vscode.l10n.t('Set API Key'), command: 'omniVideo.setApiKey' });
    if (error.kind === 'config') actions.push({ title: vscode.l10n.t('Open Settings'), command: 'workbench.action.openSettings', args: ['@ext:omni-video.omni-video'] });
    if (error.kind === 'proxy') actions.push({ title: vscode.l10n.t('Proxy Settings'), command: 'workbench.action.openSettings', args: ['http.proxy'] });
    if (error.kind === 'limit') {
      actions.push({ title: vscode.l10n.t('Raise Limit'), command: 'workbench.action.openSettings', args: ['omniVideo.dailyLimit'] });
      actions.push({ title: vscode.l10n.t('Show Usage'), command: 'omniVideo.showUsage' });
    }
    if (error.kind === 'unknownOutcome') actions.push({ title: vscode.l10n.t('Show Jobs'), command: 'omniVideo.showJobs' });
  }
  void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: {0}', message), ...actions.map((a) => a.title)).then((choice) => {
    const action = actions.find((a) => a.title === choice);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
}
