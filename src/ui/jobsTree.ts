import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../core/jobModel';
import type { JobStore } from '../core/jobStore';
import { describeJobState, shortPrompt } from '../jobSnapshot';

type JobGroup = 'running' | 'attention' | 'saved';
interface GroupNode {
  group: JobGroup;
}
type JobsNode = GroupNode | JobRecord;

const GROUP_ORDER: JobGroup[] = ['running', 'attention', 'saved'];

function groupOf(job: JobRecord): JobGroup {
  if (job.phase === 'tracking') return 'running';
  return job.phase === 'saved' ? 'saved' : 'attention';
}

const isGroup = (node: JobsNode): node is GroupNode => 'group' in node && !('id' in node);

/** The jobs view: jobs grouped by state (running, needing attention, saved), newest first. */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: JobStore) {
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: JobsNode): JobsNode[] {
    const jobs = this.store.list();
    if (!element) return GROUP_ORDER.filter((group) => jobs.some((j) => groupOf(j) === group)).map((group) => ({ group }));
    return isGroup(element) ? jobs.filter((j) => groupOf(j) === element.group) : [];
  }

  getParent(element: JobsNode): JobsNode | undefined {
    return isGroup(element) ? undefined : { group: groupOf(element) };
  }

  getTreeItem(node: JobsNode): vscode.TreeItem {
    if (isGroup(node)) {
      const count = this.store.list().filter((j) => groupOf(j) === node.group).length;
      const item = new vscode.TreeItem(groupLabel(node.group), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.group}`;
      item.description = String(count);
      item.contextValue = `omniVideo.group.${node.group}`;
      return item;
    }
    return this.jobItem(node);
  }

  private jobItem(job: JobRecord): vscode.TreeItem {
    // Short enough that the state beside it stays visible in a narrow side bar.
    const item = new vscode.TreeItem(shortPrompt(job.prompt, 34), vscode.TreeItemCollapsibleState.None);
    // The group is part of the id: a job that moves group is a new row to the tree, never a stale node.
    item.id = `${groupOf(job)}:${job.id}`;
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

function groupLabel(group: JobGroup): string {
  switch (group) {
    case 'running':
      return vscode.l10n.t('Running');
    case 'attention':
      return vscode.l10n.t('Needs attention');
    case 'saved':
      return vscode.l10n.t('Saved videos');
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
