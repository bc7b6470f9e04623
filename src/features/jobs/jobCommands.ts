import * as vscode from 'vscode';
import { inertMessageText } from '../../core/common/messageText';
import { billedGenerationsText } from '../../core/jobs/costGuard';
import { shortPrompt } from '../../core/jobs/jobLabels';
import type { JobManager } from '../../core/jobs/jobManager';
import type { JobRecord } from '../../core/jobs/jobModel';
import type { JobStore } from '../../core/jobs/jobStore';
import { readSidecar } from '../../core/jobs/sidecar';
import type { GenerationFlow, ScriptedResult } from '../../generation/generationFlow';
import { copyPrompt } from '../../host/copyPrompt';
import { readSettings } from '../../host/settings';
import { JOBS_VIEW_ID } from '../../shared/ids';

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

export async function revealJobFile(store: JobStore, arg: unknown): Promise<void> {
  const job = jobFrom(store, arg);
  if (job?.file) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(job.file));
}

export async function copyJobPrompt(store: JobStore, arg: unknown): Promise<void> {
  const job = jobFrom(store, arg);
  if (job) await copyPrompt(job.prompt);
}

/** Retry: a stalled job is tracked again, a result that could not be saved is downloaded again. */
export function retryJob(manager: JobManager, arg: unknown): void {
  const job = jobFrom(manager.store, arg);
  if (job && manager.retry(job.id)) void vscode.window.setStatusBarMessage(vscode.l10n.t('Omni Video: retrying'), 2000);
}

/** What a regeneration needs: the prompt and the request as recorded (job record or sidecar). */
async function regenerationSource(store: JobStore, arg: unknown): Promise<{ prompt: string; request: Record<string, unknown> } | undefined> {
  if (arg instanceof vscode.Uri) {
    const job = store.list().find((j) => j.file === arg.fsPath);
    if (job) return job;
    const sidecar = await readSidecar(arg.fsPath);
    return sidecar && { prompt: sidecar.prompt, request: sidecar.request };
  }
  return jobFrom(store, arg);
}

/**
 * Regenerate: the same request as a new job, only on the user's click (it is billed again). Media is
 * read again from the recorded workspace paths or URLs; inline data that was never kept cannot be.
 */
export async function regenerateJob(store: JobStore, flow: GenerationFlow, arg: unknown): Promise<ScriptedResult | undefined> {
  const job = await regenerationSource(store, arg);
  if (!job) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: there is no record of how this video was made, so it cannot be regenerated.'));
    return undefined;
  }
  const request = job.request;
  const media = (value: unknown) => (typeof value === 'string' && !value.startsWith('data:') ? value : undefined);
  const images = Array.isArray(request.images) ? request.images.map(media) : undefined;
  const options = {
    prompt: job.prompt,
    seconds: request.seconds,
    aspectRatio: request.aspect_ratio,
    resolution: request.resolution,
    fps: request.fps,
    firstImage: media(request.first_image_url),
    lastImage: media(request.last_image_url),
    images,
    video: media(request.video),
  };
  const lostData = ['first_image_url', 'last_image_url', 'video'].some((k) => request[k] !== undefined && !media(request[k])) || images?.includes(undefined);
  if (lostData) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Omni Video: this job was made from inline data that was not kept, so it cannot be regenerated.'));
    return undefined;
  }
  const regenerate = vscode.l10n.t('Regenerate');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Generate "{0}" again? This is a new job and is billed again.', inertMessageText(shortPrompt(job.prompt, 80))),
    { modal: true, detail: vscode.l10n.t('This bills {0}.', billedGenerationsText(1, readSettings().pricePerGeneration ?? undefined, vscode.env.language)) },
    regenerate,
  );
  if (answer !== regenerate) return undefined;
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return flow.runScripted(defined).catch(() => undefined);
}

/** Removes finished jobs from the list; their files stay on disk. */
export function clearFinishedJobs(store: JobStore): void {
  for (const job of store.list()) if (job.phase === 'saved' || job.phase === 'failed' || job.phase === 'lost') store.remove(job.id);
}

/** Stop Tracking (a running or unanswered job): the server keeps generating and bills it, so this asks first. */
export async function stopTrackingJob(store: JobStore, arg: unknown): Promise<void> {
  const job = jobFrom(store, arg);
  if (!job) return;
  if (job.phase === 'tracking' || job.phase === 'stalled') {
    const stop = vscode.l10n.t('Stop Tracking');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Stop tracking "{0}"? The server keeps generating it (and it is billed), but it will not be downloaded.', inertMessageText(shortPrompt(job.prompt, 60))),
      { modal: true },
      stop,
    );
    if (answer !== stop) return;
  }
  store.remove(job.id);
}

/**
 * Remove (a finished job): takes it off the list; a saved video and its sidecar stay on disk. A result
 * the server produced but that is not on disk yet would be lost, so that case asks first.
 */
export async function removeJob(store: JobStore, arg: unknown): Promise<boolean> {
  const job = jobFrom(store, arg);
  if (!job) return false;
  if (job.phase === 'tracking' || job.phase === 'stalled') return stopTrackingJob(store, job).then(() => !store.get(job.id));
  if (job.phase === 'downloadFailed') {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove "{0}"? Its video was generated (and billed) but is not saved yet; after this it cannot be downloaded from here.', inertMessageText(shortPrompt(job.prompt, 60))),
      { modal: true },
      remove,
    );
    if (answer !== remove) return false;
  }
  store.remove(job.id);
  if (job.phase === 'saved') void vscode.window.setStatusBarMessage(vscode.l10n.t('Omni Video: removed from the list; the video stays on disk'), 3000);
  return true;
}
