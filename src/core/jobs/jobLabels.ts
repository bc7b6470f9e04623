/** How a job and its mode read in the user's language: the jobs view, the status bar, the preview, the panel. */
import { l10n } from '../common/l10n';
import { JOB_MODES, type JobMode } from '../api/schemas';
import type { JobRecord } from './jobModel';

/** A short description of where a job is. */
export function describeJobState(job: JobRecord): string {
  switch (job.phase) {
    case 'saved':
      return l10n.t('Saved');
    case 'failed':
      return l10n.t('Failed');
    case 'lost':
      return l10n.t('Lost');
    case 'downloadFailed':
      return l10n.t('Not saved');
    case 'stalled':
      return l10n.t('No answer');
    case 'tracking':
      if (job.status === 'queued') return l10n.t('Queued');
      if (job.status === 'completed') return l10n.t('Downloading');
      return l10n.t('Generating {0}%', job.progress);
  }
}

/** A prompt on one line, cut to `max` characters. */
export function shortPrompt(prompt: string, max = 60): string {
  const oneLine = prompt.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** How a video is made: the panel's mode line and the preview's "Mode". */
export function modeLabel(mode: JobMode): string;
/** The same for a mode read from a sidecar: undefined when it is not one of ours. */
export function modeLabel(mode: string | undefined): string | undefined;
export function modeLabel(mode: string | undefined): string | undefined {
  if (!(JOB_MODES as readonly (string | undefined)[]).includes(mode)) return undefined;
  return {
    text: () => l10n.t('Text to video'),
    image: () => l10n.t('Image to video (first frame)'),
    interpolate: () => l10n.t('Interpolate between first and last frame'),
    references: () => l10n.t('Video from reference images'),
    video: () => l10n.t('Edit or extend a clip'),
  }[mode as JobMode]();
}
