import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../core/jobModel';
import type { JobStore } from '../core/jobStore';
import { describeJobState, shortPrompt } from '../jobSnapshot';

/** The jobs view: every tracked job with its state, progress and prompt, newest first. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobRecord | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: JobStore) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: JobRecord): JobRecord[] {
    return element ? [] : this.store.list();
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(job: JobRecord): vscode.TreeItem {
    // Short enough that the state beside it stays visible in a narrow side bar.
    const item = new vscode.TreeItem(shortPrompt(job.prompt, 34), vscode.TreeItemCollapsibleState.None);
    item.id = job.id;
    item.description = describeJobState(job);
    item.iconPath = iconFor(job);
    item.contextValue = `omniVideo.job.${job.phase}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(job.prompt);
    tooltip.appendMarkdown('\n\n---\n\n');
    tooltip.appendText(`${describeJobState(job)} · ${job.id}`);
    if (job.file) tooltip.appendText(`\n${path.basename(job.file)}`);
    if (job.error) tooltip.appendText(`\n${job.error}`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${describeJobState(job)}: ${shortPrompt(job.prompt)}` };
    if (job.phase === 'saved' && job.file) {
      item.command = { command: 'omniVideo.openPreview', title: vscode.l10n.t('Open Preview'), arguments: [vscode.Uri.file(job.file)] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function iconFor(job: JobRecord): vscode.ThemeIcon {
  switch (job.phase) {
    case 'saved':
      return new vscode.ThemeIcon('device-camera-video', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'lost':
    case 'stalled':
    case 'downloadFailed':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'tracking':
      return job.status === 'queued' ? new vscode.ThemeIcon('clock') : new vscode.ThemeIcon('loading~spin');
  }
}
