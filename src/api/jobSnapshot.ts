import * as vscode from 'vscode';
import type { JobMode, JobRecord } from '../core/jobs/jobModel';
import type { JobStatus } from '../core/api/schemas';

/** The public, read-only view of a job (product.md). */
export interface JobSnapshot {
  id: string;
  mode: JobMode;
  prompt: string;
  status: JobStatus;
  progress: number;
  file?: vscode.Uri;
  error?: string;
  seconds?: string;
  size?: string;
  createdAt: number;
  completedAt?: number;
}

export function toSnapshot(job: JobRecord): JobSnapshot {
  return {
    id: job.id,
    mode: job.mode,
    prompt: job.prompt,
    // Lost jobs and results that could not be saved are over for the user: report them as failed.
    status: job.phase === 'lost' || job.phase === 'downloadFailed' || job.phase === 'stalled' ? 'failed' : job.status,
    progress: job.progress,
    file: job.file ? vscode.Uri.file(job.file) : undefined,
    error: job.error,
    seconds: job.seconds,
    size: job.size,
    createdAt: job.createdAt,
    completedAt: job.completedAt,
  };
}

/** A short, localised description of where a job is. */
export function describeJobState(job: JobRecord): string {
  switch (job.phase) {
    case 'saved':
      return vscode.l10n.t('Saved');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'lost':
      return vscode.l10n.t('Lost');
    case 'downloadFailed':
      return vscode.l10n.t('Not saved');
    case 'stalled':
      return vscode.l10n.t('No answer');
    case 'tracking':
      if (job.status === 'queued') return vscode.l10n.t('Queued');
      if (job.status === 'completed') return vscode.l10n.t('Downloading');
      return vscode.l10n.t('Generating {0}%', job.progress);
  }
}

export function shortPrompt(prompt: string, max = 60): string {
  const oneLine = prompt.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
