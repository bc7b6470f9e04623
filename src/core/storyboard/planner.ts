/**
 * What a storyboard's shots are doing and what to submit next: shots plus their jobs plus the board's
 * run (the shots asked for and not yet submitted) in, the state of each shot and the shots ready to be
 * submitted out. Pure; the run is persisted like jobs, so a reload resumes it and nothing is sent twice.
 */
import { z } from 'zod';
import { l10n } from '../common/l10n';
import type { JobRecord } from '../jobs/jobModel';
import type { Shot, Storyboard } from './parser';

export const SHOT_STATES = ['none', 'waiting', 'blocked', 'queued', 'in_progress', 'saved', 'failed'] as const;
export type ShotState = (typeof SHOT_STATES)[number];

/** A shot asked for: waiting for its turn, being submitted, or refused when it was submitted. */
export const runEntrySchema = z.object({
  shot: z.number().int().min(1),
  /** The shot's title when it was asked for: if the shots are reordered, the title finds it again. */
  title: z.string(),
  state: z.enum(['waiting', 'submitting', 'failed']),
  error: z.string().optional(),
  /** Asked for as Regenerate (a new take beside the earlier ones). */
  regenerate: z.boolean().optional(),
  /** When its create request was started (`submitting`): a reload then tells whether it was accepted. */
  since: z.number().optional(),
});
export type RunEntry = z.infer<typeof runEntrySchema>;

/** A board's shots as the exported API reports them (docs/product.md, "Storyboards"); `U` is the Uri type. */
export interface BoardSnapshot<U> {
  file: U;
  shots: {
    index: number;
    title: string;
    prompt: string;
    state: ShotState;
    /** The chosen (or running) take's job. */
    jobId?: string;
    /** The chosen take. */
    video?: U;
    /** Every saved take, oldest first. */
    takes: U[];
    /** The prose differs from the chosen take's prompt. */
    promptChanged: boolean;
    error?: string;
  }[];
  /** The last assembled film, if any. */
  film?: U;
  filmOutOfDate?: boolean;
}

export interface PlannedShot {
  index: number;
  state: ShotState;
  /** The job of the shot's latest take (running, saved or failed). */
  job?: JobRecord;
  /** Why it failed, or what it is blocked on. */
  error?: string;
}

export interface ReadyShot {
  shot: Shot;
  /** The take whose last frame is this shot's first frame (chaining); none when it has its own image or starts the board. */
  after?: { shot: number; video: string };
}

export interface BoardPlan {
  shots: PlannedShot[];
  /** The shots to submit now, in order. */
  ready: ReadyShot[];
  /** Entries of the run that no longer match a shot (the shot was deleted): drop them. */
  stale: RunEntry[];
}

/** The jobs that are takes of `shot`: by its title when that is unique on the board, else by its number. */
export function jobsOfShot(board: Storyboard, shot: Shot, jobs: readonly JobRecord[]): JobRecord[] {
  const unique = board.shots.filter((s) => s.title === shot.title).length === 1;
  return jobs
    .filter((job) => job.storyboard && (unique ? job.storyboard.title === shot.title : job.storyboard.shot === shot.index))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** The shot a run entry means: the same title if it is still on the board, else the same number. */
export function shotOfEntry(board: Storyboard, entry: Pick<RunEntry, 'shot' | 'title'>): Shot | undefined {
  const byTitle = board.shots.filter((s) => s.title === entry.title);
  return byTitle.length === 1 ? byTitle[0] : board.shots.find((s) => s.index === entry.shot);
}

/**
 * `chosenVideo(shot)` is the shot's chosen take as a file path, if it has one that exists (the video
 * line of the document, resolved by the caller).
 */
export function planBoard(board: Storyboard, jobs: readonly JobRecord[], run: readonly RunEntry[], chosenVideo: (shot: Shot) => string | undefined): BoardPlan {
  const entries = new Map<number, RunEntry>();
  const stale: RunEntry[] = [];
  for (const entry of run) {
    const shot = shotOfEntry(board, entry);
    if (shot) entries.set(shot.index, entry);
    else stale.push(entry);
  }
  const planned: PlannedShot[] = [];
  const ready: ReadyShot[] = [];
  for (const shot of board.shots) {
    const entry = entries.get(shot.index);
    const job = jobsOfShot(board, shot, jobs).at(-1);
    const running = job?.phase === 'tracking';
    if (entry?.state === 'failed') {
      planned.push({ index: shot.index, state: 'failed', job, error: entry.error });
      continue;
    }
    if (entry && !running) {
      // Asked for: its turn comes when whatever it starts from is ready.
      const previous = planned[shot.index - 2];
      const chained = board.settings.chain && shot.images.length === 0 && shot.index > 1;
      if (entry.state === 'submitting') planned.push({ index: shot.index, state: 'queued', job });
      else if (!chained) {
        planned.push({ index: shot.index, state: 'waiting', job });
        ready.push({ shot });
      } else if (previous.state === 'waiting' || previous.state === 'queued' || previous.state === 'in_progress') {
        planned.push({ index: shot.index, state: 'waiting', job });
      } else {
        const video = previous.state === 'saved' ? chosenVideo(board.shots[shot.index - 2]) : undefined;
        if (video) {
          planned.push({ index: shot.index, state: 'waiting', job });
          ready.push({ shot, after: { shot: shot.index - 1, video } });
        } else {
          const error =
            previous.state === 'failed' || previous.state === 'blocked'
              ? l10n.t('Shot {0} failed, and this shot starts from its last frame.', shot.index - 1)
              : l10n.t('Shot {0} has no take yet, and this shot starts from its last frame: generate it first.', shot.index - 1);
          planned.push({ index: shot.index, state: 'blocked', job, error });
        }
      }
      continue;
    }
    planned.push(stateFromJob(shot, job, chosenVideo(shot)));
  }
  return { shots: planned, ready, stale };
}

function stateFromJob(shot: Shot, job: JobRecord | undefined, chosen: string | undefined): PlannedShot {
  if (!job) return { index: shot.index, state: chosen ? 'saved' : 'none' };
  if (job.phase === 'tracking') return { index: shot.index, state: job.status === 'queued' ? 'queued' : 'in_progress', job };
  if (job.phase === 'saved') return { index: shot.index, state: chosen || job.file ? 'saved' : 'none', job };
  return { index: shot.index, state: 'failed', job, error: job.error };
}
