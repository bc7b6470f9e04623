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
/** The last row of a group that holds more jobs than it shows: a click shows more. */
interface MoreNode {
  kind: 'more';
  group: JobGroup;
}
/** A row of the jobs view: a group heading, a job, or "show more". Commands on a job row receive its JobNode. */
export type JobsNode = GroupNode | JobNode | MoreNode;

const STATE_GROUPS: JobGroup[] = ['running', 'attention', 'saved'];
/** Rows a group shows at first, and how many more each "Show more" adds. */
const JOBS_PAGE = 100;
/** How long changes gather before the view is told: a poll round of 500 jobs is one redraw. */
const REDRAW_DELAY_MS = 50;

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
 *
 * At scale (docs/decisions.md, "Many jobs at once"): a group shows its newest JOBS_PAGE rows and a
 * "Show more" row; changes are gathered for REDRAW_DELAY_MS and a job that moves group redraws its two
 * groups, not the tree; a row's tooltip is made when it is hovered. Each redraw is sent to the window
 * whole, so its size is what the extension host pays.
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsNode | JobsNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly groups = new Map<JobGroup, GroupNode>();
  private readonly moreRows = new Map<JobGroup, MoreNode>();
  /** The group each job was in at its last change. */
  private readonly lastGroups = new Map<string, JobGroup>();
  /** The node of each job, and the group it was last shown in. */
  private readonly rows = new Map<string, { node: JobNode; group: JobGroup }>();
  /** How many rows each group shows (JOBS_PAGE until "Show more"). */
  private readonly limits = new Map<JobGroup, number>();
  /** The groups the view was last given, in order. */
  private shownGroups = '';
  /** What the next redraw covers: some rows, or the whole tree. */
  private pending: Set<JobsNode> | 'all' | undefined;
  private redraw: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: JobStore) {
    this.subscription = store.onDidChange((job) => this.onJobChanged(job));
  }

  getChildren(element?: JobsNode): JobsNode[] {
    const jobs = this.store.list();
    if (!element) {
      const groups = presentGroups(jobs);
      this.shownGroups = groups.join('\n');
      return groups.map((group) => this.groupNode(group));
    }
    if (element.kind !== 'group') return [];
    const members = jobs.filter((j) => groupOf(j) === element.group);
    const limit = this.limits.get(element.group) ?? JOBS_PAGE;
    const rows: JobsNode[] = members.slice(0, limit).map((job) => this.rowOf(job));
    if (members.length > limit) rows.push(this.moreNode(element.group));
    return rows;
  }

  getParent(element: JobsNode): JobsNode | undefined {
    if (element.kind === 'group') return undefined;
    if (element.kind === 'more') return this.groupNode(element.group);
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
    if (node.kind === 'more') return this.moreItem(node.group);
    const job = this.store.get(node.id);
    return job ? this.jobItem(job) : new vscode.TreeItem('');
  }

  /** A job row's tooltip, made when the row is hovered rather than for every row of every redraw. */
  resolveTreeItem(item: vscode.TreeItem, node: JobsNode): vscode.TreeItem {
    const job = node.kind === 'job' ? this.store.get(node.id) : undefined;
    if (job) item.tooltip = jobTooltip(job);
    return item;
  }

  /** Shows JOBS_PAGE more rows of `group` (the "Show more" row's command). */
  showMore(group: JobGroup): void {
    this.limits.set(group, (this.limits.get(group) ?? JOBS_PAGE) + JOBS_PAGE);
    this.schedule(this.groupNode(group));
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

  private moreNode(group: JobGroup): MoreNode {
    let node = this.moreRows.get(group);
    if (!node) this.moreRows.set(group, (node = { kind: 'more', group }));
    return node;
  }

  /**
   * Redraws the job's row alone while it stays in its group; its old and new groups when it moves; the
   * whole tree when a group appears or empties.
   */
  private onJobChanged(job: JobRecord): void {
    const previous = this.lastGroups.get(job.id);
    const current = this.store.get(job.id);
    const group = current && groupOf(current);
    if (group) this.lastGroups.set(job.id, group);
    else this.lastGroups.delete(job.id);
    const row = this.rows.get(job.id);
    if (group && previous === group) {
      // A row past the group's page is not on screen: nothing to redraw.
      if (row) this.schedule(row.group === group ? row.node : this.groupNode(group));
      return;
    }
    if (!current) this.rows.delete(job.id);
    if (previous) this.schedule(this.groupNode(previous));
    if (group) this.schedule(this.groupNode(group));
    if (!previous && !group) this.schedule(undefined);
  }

  /** Gathers what to redraw; one redraw after REDRAW_DELAY_MS. */
  private schedule(node: JobsNode | undefined): void {
    if (node === undefined) this.pending = 'all';
    else if (this.pending !== 'all') {
      this.pending ??= new Set();
      this.pending.add(node);
    }
    this.redraw ??= setTimeout(() => {
      const pending = this.pending;
      this.pending = undefined;
      this.redraw = undefined;
      const groupsChanged = presentGroups(this.store.list()).join('\n') !== this.shownGroups;
      this.changed.fire(pending === 'all' || groupsChanged || !pending ? undefined : [...pending]);
    }, REDRAW_DELAY_MS);
  }

  private moreItem(group: JobGroup): vscode.TreeItem {
    const hidden = this.store.list().filter((j) => groupOf(j) === group).length - (this.limits.get(group) ?? JOBS_PAGE);
    const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more…', Math.min(JOBS_PAGE, hidden)), vscode.TreeItemCollapsibleState.None);
    item.id = `more:${group}`;
    item.description = vscode.l10n.t('{0} not shown', hidden);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'omniVideo.more';
    item.command = { command: 'omniVideo.showMoreJobs', title: vscode.l10n.t('Show More Jobs'), arguments: [group] };
    return item;
  }

  private jobItem(job: JobRecord): vscode.TreeItem {
    // Short enough that the state beside it stays visible in a narrow side bar.
    const item = new vscode.TreeItem(shortPrompt(job.prompt, 34), vscode.TreeItemCollapsibleState.None);
    // The group is part of the id: a job that moves group is a new row to the tree, never a stale node.
    item.id = `${groupOf(job)}:${job.id}`;
    item.description = describeJobState(job);
    item.iconPath = iconFor(job);
    item.contextValue = `omniVideo.job.${job.phase}`;
    item.accessibilityInformation = { label: `${describeJobState(job)}: ${shortPrompt(job.prompt)}` };
    if (job.phase === 'saved' && job.file) {
      item.command = { command: 'omniVideo.openPreview', title: vscode.l10n.t('Open Preview'), arguments: [vscode.Uri.file(job.file)] };
    } else if (job.phase === 'failed') {
      item.command = { command: 'omniVideo.openPreview', title: vscode.l10n.t('Open Preview'), arguments: [job.id] };
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.redraw);
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The groups that hold jobs, in the view's order: running, each storyboard, needing attention, saved. */
function presentGroups(jobs: readonly JobRecord[]): JobGroup[] {
  const present = new Set(jobs.map(groupOf));
  const boards = [...present].filter((g) => g.startsWith('board:')).sort() as JobGroup[];
  return [STATE_GROUPS[0], ...boards, ...STATE_GROUPS.slice(1)].filter((group) => present.has(group));
}

function jobTooltip(job: JobRecord): vscode.MarkdownString {
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
  return tooltip;
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
