/** How a job and its mode read in the user's language: the jobs view, the status bar, the preview, the panel. */
import { l10n } from '../common/l10n';
import { JOB_MODES, type JobMode } from '../api/schemas';
import type { FailureKind } from './failureKind';
import type { JobRecord } from './jobModel';

/** A short description of where a job is. */
export function describeJobState(job: JobRecord): string {
  switch (job.phase) {
    case 'saved':
      return l10n.t('Saved');
    case 'failed': {
      const why = failureKindLabel(job.failureKind);
      return why ? l10n.t('Failed: {0}', why) : l10n.t('Failed');
    }
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

/** A failure's kind in a few words ("prompt refused"); undefined when the server did not say. */
export function failureKindLabel(kind: FailureKind | undefined): string | undefined {
  switch (kind) {
    case 'prompt':
      return l10n.t('prompt refused');
    case 'media':
      return l10n.t('image or clip refused');
    case 'server':
      return l10n.t('service error');
    case 'timeout':
      return l10n.t('expired');
    default:
      return undefined;
  }
}

/** What a failure of each kind means and the next step that fits it, with whether that step is billed. */
export interface FailureAdvice {
  sentence: string;
  /** The button: Edit Prompt and Regenerate, Replace Image, Retry Later or Regenerate. */
  action: string;
  /** What the button does, and that it is billed again. */
  actionDetail: string;
  /** The command it runs, with the job as its argument. */
  command: 'omniVideo.editJobInPanel' | 'omniVideo.regenerateJob';
}

export function failureAdvice(kind: FailureKind | undefined): FailureAdvice {
  const retryLater = { action: l10n.t('Retry Later'), actionDetail: l10n.t('Sends the same request again as a new job: billed again.'), command: 'omniVideo.regenerateJob' } as const;
  switch (kind) {
    case 'prompt':
      return {
        sentence: l10n.t('The service refused the prompt under its content policy.'),
        action: l10n.t('Edit Prompt and Regenerate'),
        actionDetail: l10n.t('Opens the generation panel with this request to change the wording; generating again is billed again.'),
        command: 'omniVideo.editJobInPanel',
      };
    case 'media':
      return {
        sentence: l10n.t('The service refused an input image or clip.'),
        action: l10n.t('Replace Image'),
        actionDetail: l10n.t('Opens the generation panel with this request to swap the image or clip; generating again is billed again.'),
        command: 'omniVideo.editJobInPanel',
      };
    case 'server':
      return { sentence: l10n.t('The service failed while generating; the fault is on its side.'), ...retryLater };
    case 'timeout':
      return { sentence: l10n.t('The job expired or timed out at the service.'), ...retryLater };
    default:
      return {
        sentence: l10n.t('The service did not say why.'),
        action: l10n.t('Regenerate'),
        actionDetail: l10n.t('Sends the same request again as a new job: billed again.'),
        command: 'omniVideo.regenerateJob',
      };
  }
}
