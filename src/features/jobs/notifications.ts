import * as path from 'node:path';
import * as vscode from 'vscode';
import { inertMessageText } from '../../core/common/messageText';
import { QuietTimer } from '../../core/common/quietTimer';
import { failureAdvice, shortPrompt } from '../../core/jobs/jobLabels';
import type { JobRecord } from '../../core/jobs/jobModel';
import { readSettings } from '../../host/settings';

/** How a finished job's video is shown. */
export interface VideoOpener {
  show(file: vscode.Uri, options?: { preserveFocus?: boolean }): Promise<unknown>;
  isShowing(file: vscode.Uri): boolean;
}

/** Saved videos that follow one another within this long are one burst. */
const BURST_MS = 2000;

/**
 * The notices of jobs that end. A saved video on its own is announced at once (`announceFinishedJob`);
 * the ones saved right after it, while a batch finishes, are gathered into one notice when the burst
 * is over: twenty jobs at once make two notices, not twenty, and open one preview, not twenty tabs.
 * Failures are always announced one by one: each has its own reason and next step.
 */
export class FinishedJobNotices implements vscode.Disposable {
  private gathered: JobRecord[] = [];
  private lastSavedAt = -Infinity;
  /** Announces what was gathered once saves stop for BURST_MS. */
  private readonly gatheredNote = new QuietTimer(BURST_MS, () => this.announceGathered());

  constructor(private readonly previews: VideoOpener) {}

  announce(job: JobRecord): void {
    if (job.phase !== 'saved' || !job.file) return announceFinishedJob(job, this.previews);
    const now = Date.now();
    const inBurst = now - this.lastSavedAt < BURST_MS;
    this.lastSavedAt = now;
    if (!inBurst) return announceFinishedJob(job, this.previews);
    this.gathered.push(job);
    this.gatheredNote.poke();
  }

  private announceGathered(): void {
    const jobs = this.gathered;
    this.gathered = [];
    if (jobs.length === 1) return announceFinishedJob(jobs[0], this.previews);
    const folders = [...new Set(jobs.map((job) => vscode.workspace.asRelativePath(path.dirname(job.file!))))];
    const where = folders.length === 1 ? folders[0] : vscode.l10n.t('{0} folders', folders.length);
    const showJobs = vscode.l10n.t('Show Jobs');
    const gallery = vscode.l10n.t('Open Gallery');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} more videos saved in {1}', jobs.length, inertMessageText(where)), showJobs, gallery).then((choice) => {
      if (choice === showJobs) void vscode.commands.executeCommand('omniVideo.showJobs');
      if (choice === gallery) void vscode.commands.executeCommand('omniVideo.openGallery');
    });
  }

  dispose(): void {
    this.gatheredNote.cancel();
  }
}

/** Tells the user when a job ends: opens the preview of a saved video, or explains a failure. */
export function announceFinishedJob(job: JobRecord, previews: VideoOpener): void {
  switch (job.phase) {
    case 'saved': {
      if (!job.file) return;
      const file = vscode.Uri.file(job.file);
      // A storyboard's takes do not open one preview each (a board of 24 shots would open 24 tabs):
      // the board's lenses show them, and Assemble Film is what plays them together.
      const opened = !job.storyboard && readSettings(file).openPreviewOnComplete;
      if (opened) void previews.show(file, { preserveFocus: true });
      const reveal = vscode.l10n.t('Reveal in Explorer');
      const open = vscode.l10n.t('Open Preview');
      // Open Preview only when no preview shows the video already (one just opened, or one the user has).
      const actions = opened || previews.isShowing(file) ? [reveal] : [open, reveal];
      void vscode.window.showInformationMessage(vscode.l10n.t('Video saved: {0}', inertMessageText(path.basename(job.file))), ...actions).then((choice) => {
        if (choice === open) void previews.show(file);
        if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', file);
      });
      return;
    }
    case 'failed': {
      const advice = failureAdvice(job.failureKind);
      const show = vscode.l10n.t('Show Details');
      void vscode.window
        .showErrorMessage(vscode.l10n.t('Video "{0}" failed: {1} {2}', inertMessageText(shortPrompt(job.prompt, 40)), inertMessageText(job.error ?? ''), advice.sentence), advice.action, show)
        .then((choice) => {
          if (choice === advice.action) void vscode.commands.executeCommand(advice.command, { id: job.id });
          if (choice === show) void vscode.commands.executeCommand('omniVideo.openPreview', job.id);
        });
      return;
    }
    case 'lost':
    case 'stalled':
    case 'downloadFailed': {
      const show = vscode.l10n.t('Show Jobs');
      void vscode.window
        .showErrorMessage(vscode.l10n.t('Video "{0}" did not finish: {1}', inertMessageText(shortPrompt(job.prompt, 40)), inertMessageText(job.error ?? '')), show)
        .then((choice) => choice && vscode.commands.executeCommand('omniVideo.showJobs'));
      return;
    }
    case 'tracking':
      return;
  }
}
