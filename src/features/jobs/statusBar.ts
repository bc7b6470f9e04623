import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/jobStore';
import { customApiHost } from '../../host/settings';
import { describeJobState, shortPrompt } from '../../core/jobs/jobLabels';

/** How long a redraw waits for more changes. */
const RENDER_DELAY_MS = 50;
/** The tooltip lists this many running jobs; the jobs view has them all. */
const TOOLTIP_JOBS = 15;

/** The storyboards with a run in progress, as the status bar names them. */
export interface BoardRuns {
  describeRuns(): Promise<string[]>;
  readonly onDidChange: (listener: () => void) => { dispose(): void };
}

/**
 * One status bar item: hidden while nothing runs; while jobs run it shows how many are queued and
 * generating with their progress, lists them in its tooltip, and reveals the jobs view on click.
 */
export class JobsStatusBarItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: { dispose(): void }[];
  /** "Harbour: 1/2 shots", for each storyboard whose run is in progress. */
  private boardRuns: string[] = [];
  private pendingRender: ReturnType<typeof setTimeout> | undefined;
  /** A storyboard changed since its runs were last described. */
  private boardsChanged = false;
  private disposed = false;

  constructor(
    private readonly store: JobStore,
    private readonly boards?: BoardRuns,
  ) {
    this.item = vscode.window.createStatusBarItem('omniVideo.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('Omni Video Jobs');
    this.item.command = 'omniVideo.showJobs';
    this.subscriptions = [store.onDidChange(() => this.scheduleRender()), ...(boards ? [boards.onDidChange(() => {
      this.boardsChanged = true;
      this.scheduleRender();
    })] : [])];
    this.render();
  }

  /**
   * Draws once for a burst of changes: a poll round that changes 500 jobs is one redraw (each redraw
   * lists the running jobs and is sent to the window), not 500; the storyboards' runs are described
   * (their files read) once for a burst too.
   */
  private scheduleRender(): void {
    this.pendingRender ??= setTimeout(async () => {
      if (this.boardsChanged && this.boards) {
        this.boardsChanged = false;
        this.boardRuns = await this.boards.describeRuns().catch(() => this.boardRuns);
      }
      this.pendingRender = undefined;
      if (this.disposed) return;
      this.render();
      if (this.boardsChanged) this.scheduleRender();
    }, RENDER_DELAY_MS);
  }

  render(): void {
    const active = this.store.active();
    if (active.length === 0 && this.boardRuns.length === 0) {
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
    parts.unshift(...this.boardRuns);
    // Each change is sent to the window: only what differs is set.
    const text = `$(loading~spin) ${vscode.l10n.t('Omni Video')}: ${parts.join(', ')}`;
    if (this.item.text !== text) {
      this.item.text = text;
      this.item.accessibilityInformation = { label: vscode.l10n.t('Omni Video jobs: {0}', parts.join(', ')), role: 'button' };
    }
    // Plain text: a MarkdownString is parsed again in the extension host on every redraw.
    const lines = [vscode.l10n.t('Omni Video jobs'), ''];
    for (const job of active.slice(0, TOOLTIP_JOBS)) lines.push(`• ${describeJobState(job)} — ${shortPrompt(job.prompt, 50)}`);
    if (active.length > TOOLTIP_JOBS) lines.push(vscode.l10n.t('and {0} more in the jobs view', active.length - TOOLTIP_JOBS));
    const host = customApiHost();
    if (host) lines.push('', vscode.l10n.t('Requests go to {0} (omniVideo.baseUrl).', host));
    lines.push('', vscode.l10n.t('Click to show the jobs view.'));
    const tooltip = lines.join('\n');
    if (this.item.tooltip !== tooltip) this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.pendingRender);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
