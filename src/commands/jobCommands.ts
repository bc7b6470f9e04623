import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../core/jobModel';
import type { JobManager } from '../core/jobManager';
import type { JobStore } from '../core/jobStore';
import type { PreviewPanels } from '../ui/previewPanel';

export const JOBS_VIEW_ID = 'omniVideo.jobs';

/** The job a tree action was invoked on: the tree passes the record, the palette passes nothing. */
function jobFrom(store: JobStore, arg: unknown): JobRecord | undefined {
  if (arg && typeof arg === 'object' && 'id' in arg && typeof (arg as { id: unknown }).id === 'string') {
    return store.get((arg as { id: string }).id);
  }
  if (typeof arg === 'string') return store.get(arg);
  return undefined;
}

export async function showJobs(): Promise<void> {
  await vscode.commands.executeCommand(`${JOBS_VIEW_ID}.focus`);
}

/** Omni Video: Open Video Preview — a video Uri from the explorer, a job from the jobs view, or a picker. */
export async function openPreview(previews: PreviewPanels, store: JobStore, arg?: unknown): Promise<void> {
  let file: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) file = arg;
  else if (typeof arg === 'string' && !store.get(arg)) file = vscode.Uri.file(arg);
  else {
    const job = jobFrom(store, arg);
    if (job?.file) file = vscode.Uri.file(job.file);
  }
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [vscode.l10n.t('Videos')]: ['mp4', 'mov', 'webm'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: vscode.l10n.t('Preview'),
    });
    file = picked?.[0];
  }
  if (file) await previews.show(file);
}

export async function revealJobFile(store: JobStore, arg: unknown): Promise<void> {
  const job = jobFrom(store, arg);
  if (job?.file) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(job.file));
}

export async function copyJobPrompt(store: JobStore, arg: unknown): Promise<void> {
  const job = jobFrom(store, arg);
  if (!job) return;
  await vscode.env.clipboard.writeText(job.prompt);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Prompt copied'), 2000);
}

/** Retry: a stalled job is tracked again, a result that could not be saved is downloaded again. */
export function retryJob(manager: JobManager, arg: unknown): void {
  const job = jobFrom(manager.store, arg);
  if (job && manager.retry(job.id)) void vscode.window.setStatusBarMessage(vscode.l10n.t('Omni Video: retrying'), 2000);
}

/** Removes finished jobs from the list; their files stay on disk. */
export function clearFinishedJobs(store: JobStore): void {
  for (const job of store.list()) if (job.phase === 'saved' || job.phase === 'failed' || job.phase === 'lost') store.remove(job.id);
}

export async function stopTrackingJob(store: JobStore, arg: unknown): Promise<void> {
  const job = jobFrom(store, arg);
  if (!job) return;
  if (job.phase === 'tracking') {
    const stop = vscode.l10n.t('Stop Tracking');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Stop tracking "{0}"? The server keeps generating it (and it is billed), but it will not be downloaded.', path.basename(job.prompt.slice(0, 60))),
      { modal: true },
      stop,
    );
    if (answer !== stop) return;
  }
  store.remove(job.id);
}
