import * as vscode from 'vscode';
import { JOB_MODES, type JobMode } from '../core/jobs/jobModel';

/** How a video is made, in the user's language: the panel's mode line and the preview's "Mode". */
export function modeLabel(mode: JobMode): string;
/** The same for a mode read from a sidecar: undefined when it is not one of ours. */
export function modeLabel(mode: string | undefined): string | undefined;
export function modeLabel(mode: string | undefined): string | undefined {
  if (!(JOB_MODES as readonly (string | undefined)[]).includes(mode)) return undefined;
  switch (mode as JobMode) {
    case 'text':
      return vscode.l10n.t('Text to video');
    case 'image':
      return vscode.l10n.t('Image to video (first frame)');
    case 'interpolate':
      return vscode.l10n.t('Interpolate between first and last frame');
    case 'references':
      return vscode.l10n.t('Video from reference images');
    case 'video':
      return vscode.l10n.t('Edit or extend a clip');
  }
}
