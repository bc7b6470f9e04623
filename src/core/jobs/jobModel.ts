import { z } from 'zod';
import { JOB_MODES, JOB_STATUSES, type JobStatus } from '../api/schemas';
import { FAILURE_KINDS } from './failureKind';

/**
 * Where a job is in its life on this machine, beyond the server's status:
 * - `tracking`: polling the server (queued, in progress, or completed and waiting for its download);
 * - `saved`: the MP4 is on disk; `failed`: the server failed it;
 * - `lost`: the server no longer knows the id; `downloadFailed`: completed but could not be saved;
 * - `stalled`: the server could not be reached for a while; polling stopped until the user retries.
 */
export const JOB_PHASES = ['tracking', 'saved', 'failed', 'lost', 'downloadFailed', 'stalled'] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

/** Which storyboard and shot a job is a take of (recorded on the job and in its sidecar). */
export const shotTagSchema = z.object({ file: z.string(), shot: z.number().int().min(1), title: z.string() });
export type ShotTag = z.infer<typeof shotTagSchema>;

/** Everything needed to resume, save and reproduce a job; persisted in workspace state. */
export const jobRecordSchema = z.object({
  id: z.string().min(1),
  mode: z.enum(JOB_MODES),
  prompt: z.string(),
  /** The request as sent, with media as workspace paths or URLs (never data URIs, never the token). */
  request: z.record(z.string(), z.unknown()),
  status: z.enum(JOB_STATUSES),
  phase: z.enum(JOB_PHASES),
  progress: z.number().min(0).max(100),
  createdAt: z.number(),
  completedAt: z.number().optional(),
  seconds: z.string().optional(),
  size: z.string().optional(),
  error: z.string().optional(),
  /** Why the server failed it, read from its error (failureKind.ts). */
  failureKind: z.enum(FAILURE_KINDS).optional(),
  /** Absolute folder the result is saved into. */
  outputDir: z.string(),
  /** Absolute path of the saved MP4. */
  file: z.string().optional(),
  /** How long the saved file really is (seconds, read from its container); the server's `seconds` may differ. */
  duration: z.number().positive().optional(),
  /** The server's last job object, for the sidecar. */
  serverJob: z.record(z.string(), z.unknown()).optional(),
  downloadAttempts: z.number().int().min(0).default(0),
  /** A take of a storyboard's shot. */
  storyboard: shotTagSchema.optional(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

export function isActive(job: JobRecord): boolean {
  return job.phase === 'tracking';
}

/** Maps any status string the server reports to one of the four documented ones (none: as before). */
export function normalizeStatus(status: string | null | undefined, previous: JobStatus): JobStatus {
  if (!status) return previous;
  switch (status.toLowerCase()) {
    case 'queued':
    case 'pending':
    case 'submitted':
      return 'queued';
    case 'in_progress':
    case 'processing':
    case 'running':
      return 'in_progress';
    case 'completed':
    case 'succeeded':
    case 'success':
      return 'completed';
    case 'failed':
    case 'error':
    case 'cancelled':
    case 'canceled':
    case 'expired':
      return 'failed';
    default:
      return previous === 'queued' ? 'queued' : 'in_progress';
  }
}
