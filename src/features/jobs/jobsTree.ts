import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../../core/jobs/jobModel';
import type { JobStore } from '../../core/jobs/jobStore';
import { describeJobState, failureAdvice, shortPrompt } from '../../core/jobs/jobLabels';

/** A state group, or a storyboard's own group (`board:` and the board's path), which holds its takes. */
type JobGroup = 'running' | 'attention' | 'saved' | `board:${string}`;
interface GroupNode {
  kind: 'group';
  group: JobGroup;
}
/** A job's row: only its id, so that the same object stands for the job however often it changes. */
interface JobNode {
  kind: 'job';
  id: string;
}
/** A row of the jobs view: a group heading or a job. Commands on a job row receive its JobNode. */
export type JobsNode = GroupNode | JobNode;

const STATE_GROUPS: JobGroup[] = ['running', 'attention', 'saved'];

function groupOf(job: JobRecord): JobGroup {
  if (job.storyboard) return `board:${job.storyboard.file}`;
  if (job.phase === 'tracking') return 'running';
  return job.phase === 'saved' ? 'saved' : 'attention';
}

/**
 * The jobs view: jobs grouped by state (running, needing attention, saved), newest first; the takes of
 * each storyboard in a group of their own, after the running jobs.
 *
 * Rows are stable objects (one per group, one per job and group), and a job whose group stays the
 * same is redrawn alone. Redrawing the whole tree makes VS Code drop its rows for a moment: a context
 * menu opened on a row just then would run its action with no row at all.
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly groups = new Map<JobGroup, GroupNode>();
  /** The node of each job, and the group it was last shown in. */
  private readonly rows = new Map<string, { node: JobNode; group: JobGroup }>();

  constructor(private readonly store: JobStore) {
    this.subscription = store.onDidChange((job) => this.onJobChanged(job));
  }

  getChildren(element?: JobsNode): JobsNode[] {
    const jobs = this.store.list();
    if (!element) {
      const present = new Set(jobs.map(groupOf));
      const boards = [...present].filter((g) => g.startsWith('board:')).sort();
      return [STATE_GROUPS[0], ...boards, ...STATE_GROUPS.slice(1)].filter((group) => present.has(group)).map((group) => this.groupNode(group));
    }
    if (element.kind === 'job') return [];
    return jobs.filter((j) => groupOf(j) === element.group).map((job) => this.rowOf(job));
  }

  getParent(element: JobsNode): JobsNode | undefined {
    if (element.kind === 'group') return undefined;
    const job = this.store.get(element.id);
    return job && this.groupNode(groupOf(job));
  }

  getTreeItem(node: JobsNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const count = this.store.list().filter((j) => groupOf(j) === node.group).length;
      const item = new vscode.TreeItem(groupLabel(node.group), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.group}`;
      item.description = String(count);
      item.contextValue = node.group.startsWith('board:') ? 'omniVideo.group.storyboard' : `omniVideo.group.${node.group}`;
      return item;
    }
    const job = this.store.get(node.id);
    return job ? this.jobItem(job) : new vscode.TreeItem('');
  }

  private groupNode(group: JobGroup): GroupNode {
    let node = this.groups.get(group);
    if (!node) this.groups.set(group, (node = { kind: 'group', group }));
    return node;
  }

  private rowOf(job: JobRecord): JobNode {
    const group = groupOf(job);
    let row = this.rows.get(job.id);
    // A job that moves group is a new row (its id carries the group): never a stale tree node.
    if (!row || row.group !== group) {
      row = { node: { kind: 'job', id: job.id }, group };
      this.rows.set(job.id, row);
    }
    return row.node;
  }

  /** Redraws the job's row alone while it stays in its group; the whole tree when the rows change. */
  private onJobChanged(job: JobRecord): void {
    const row = this.rows.get(job.id);
    const current = this.store.get(job.id);
    if (row && current && row.group === groupOf(current)) {
      this.changed.fire(row.node);
      return;
    }
    if (!current) this.rows.delete(job.id);
    this.changed.fire(undefined);
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
    if (job.file) tooltip.appendText(`\n${path.basename(job.file)}${job.duration ? ` · ${vscode.l10n.t('{0} s', job.duration.toFixed(1))}` : ''}`);
    if (job.error) tooltip.appendText(`\n${job.error}`);
    if (job.phase === 'failed') {
      const advice = failureAdvice(job.failureKind);
      tooltip.appendText(`\n\n${advice.sentence} ${advice.action}: ${advice.actionDetail}`);
    }
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${describeJobState(job)}: ${shortPrompt(job.prompt)}` };
    if (job.phase === 'saved' && job.file) {
      item.command = { command: 'omniVideo.openPreview', title: vscode.l10n.t('Open Preview'), arguments: [vscode.Uri.file(job.file)] };
    } else if (job.phase === 'failed') {
      item.command = { command: 'omniVideo.openPreview', title: vscode.l10n.t('Open Preview'), arguments: [job.id] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function groupLabel(group: JobGroup): string {
  if (group.startsWith('board:')) return vscode.l10n.t('Storyboard {0}', path.basename(group.slice('board:'.length)));
  return ({ running: () => vscode.l10n.t('Running'), attention: () => vscode.l10n.t('Needs attention'), saved: () => vscode.l10n.t('Saved videos') })[group as 'running']();
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
