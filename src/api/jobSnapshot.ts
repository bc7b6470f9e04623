import * as vscode from 'vscode';
import type { FailureKind } from '../core/jobs/failureKind';
import type { JobRecord } from '../core/jobs/jobModel';
import type { JobMode, JobStatus } from '../core/api/schemas';

/** The public, read-only view of a job (docs/product.md). */
export interface JobSnapshot {
  id: string;
  mode: JobMode;
  prompt: string;
  status: JobStatus;
  progress: number;
  file?: vscode.Uri;
  error?: string;
  /** Why a failed job failed: the prompt or a media input was refused, the service failed, it expired. */
  failureKind?: FailureKind;
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
    failureKind: job.phase === 'failed' ? job.failureKind : undefined,
    seconds: job.seconds,
    size: job.size,
    createdAt: job.createdAt,
    completedAt: job.completedAt,
  };
}
