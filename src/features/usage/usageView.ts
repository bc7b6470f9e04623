import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { estimatedCost } from '../../core/jobs/costGuard';
import { modeLabel } from '../../core/jobs/jobLabels';
import type { UsageLedger } from '../../core/jobs/usageLedger';
import { readSettings } from '../../host/settings';
import { usageToHostSchema, type HostToUsage, type UsageState, type UsageToHost } from '../../shared/usageProtocol';
import { WebviewHost } from '../../webview/webviewHost';

/** Show Usage: the billed generations of today, this month and in total, per workspace and per mode, and the last 30 days. */
export class UsageView extends WebviewHost<UsageToHost, HostToUsage> {
  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly ledger: UsageLedger, logger: Logger) {
    super(panel, extensionUri, { name: 'the usage view', page: { script: 'usage.js', style: 'usage.css', title: vscode.l10n.t('Omni Video Usage') }, schema: usageToHostSchema, logger });
    this._register(ledger.onDidChange(() => this.render()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('omniVideo') && this.render()));
    this.load();
    this.render();
  }

  /** Reads the ledger again and shows it (another window may have counted since). */
  render(): void {
    const now = Date.now();
    const summary = this.ledger.summary(now);
    const settings = readSettings();
    const language = vscode.env.language;
    const price = settings.pricePerGeneration ?? undefined;
    const figure = (label: string, count: number) => ({ label, count, estimate: estimatedCost(count, price, language) });
    const dayFormat = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric' });
    const limit = settings.dailyLimit;
    const state: UsageState = {
      figures: [figure(vscode.l10n.t('Today'), summary.today), figure(vscode.l10n.t('This month'), summary.month), figure(vscode.l10n.t('In total'), summary.total)],
      failedNote: summary.failed ? vscode.l10n.t('{0} of them failed at the server after it accepted them: they were billed all the same.', summary.failed) : undefined,
      limitNote:
        limit > 0
          ? vscode.l10n.t('Daily limit: {0} generations; {1} left today.', limit, Math.max(0, limit - summary.today))
          : vscode.l10n.t('No daily limit is set (omniVideo.dailyLimit).'),
      days: summary.last30Days.map(({ day, count }) => ({ label: dayFormat.format(new Date(`${day}T12:00:00`)), count })),
      byWorkspace: summary.byWorkspace.map(({ workspace, count }) => ({ name: path.basename(workspace) || workspace, detail: workspace, count })),
      byMode: summary.byMode.map(({ mode, count }) => ({ name: modeLabel(mode), count })),
      labels: {
        title: vscode.l10n.t('Billed generations'),
        chart: vscode.l10n.t('The last 30 days'),
        chartEmpty: vscode.l10n.t('Nothing was generated in the last 30 days.'),
        byWorkspace: vscode.l10n.t('Per workspace'),
        byMode: vscode.l10n.t('Per mode'),
        none: vscode.l10n.t('Nothing has been generated yet. Every generation the server accepts is counted here.'),
        raiseLimit: limit > 0 ? vscode.l10n.t('Change the Limit') : vscode.l10n.t('Set a Daily Limit'),
        setPrice: price ? vscode.l10n.t('Change the Price') : vscode.l10n.t('Set a Price for Estimates'),
        generations: vscode.l10n.t('{0} generations'),
      },
    };
    this.postState({ type: 'state', state });
  }

  protected async onMessage(message: UsageToHost): Promise<void> {
    if (message.type === 'openSetting') await vscode.commands.executeCommand('workbench.action.openSettings', message.setting);
  }
}
