import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/jobStore';
import { describeJobState, shortPrompt } from '../../core/jobs/jobLabels';

/**
 * One status bar item: hidden while nothing runs; while jobs run it shows how many are queued and
 * generating with their progress, lists them in its tooltip, and reveals the jobs view on click.
 */
export class JobsStatusBarItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: JobStore) {
    this.item = vscode.window.createStatusBarItem('omniVideo.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('Omni Video Jobs');
    this.item.command = 'omniVideo.showJobs';
    this.subscription = store.onDidChange(() => this.render());
    this.render();
  }

  render(): void {
    const active = this.store.active();
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const queued = active.filter((j) => j.status === 'queued').length;
    const generating = active.filter((j) => j.status === 'in_progress');
    const downloading = active.filter((j) => j.status === 'completed').length;
    const parts: string[] = [];
    if (generating.length) {
      const progress = Math.round(generating.reduce((sum, j) => sum + j.progress, 0) / generating.length);
      parts.push(vscode.l10n.t('{0} generating {1}%', generating.length, progress));
    }
    if (queued) parts.push(vscode.l10n.t('{0} queued', queued));
    if (downloading) parts.push(vscode.l10n.t('{0} downloading', downloading));
    this.item.text = `$(loading~spin) ${vscode.l10n.t('Omni Video')}: ${parts.join(', ')}`;
    this.item.accessibilityInformation = { label: vscode.l10n.t('Omni Video jobs: {0}', parts.join(', ')), role: 'button' };
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendMarkdown(`**${vscode.l10n.t('Omni Video jobs')}**\n\n`);
    for (const job of active) {
      tooltip.appendMarkdown('- ');
      tooltip.appendText(`${describeJobState(job)} — ${shortPrompt(job.prompt, 50)}`);
      tooltip.appendMarkdown('\n');
    }
    tooltip.appendMarkdown(`\n${vscode.l10n.t('Click to show the jobs view.')}`);
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
